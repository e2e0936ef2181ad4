from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "msknet.members"
    label = "members"
    verbose_name = "Members and networks"
