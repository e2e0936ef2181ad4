from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "msknet.governance"
    label = "governance"
    verbose_name = "Governance: groups, meetings, decisions and actions"
