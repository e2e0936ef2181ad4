from __future__ import annotations

from django import forms

from msknet.core.forms import NHSForm, NHSModelForm

from ..models import Network, Role, Topic


class NetworkForm(NHSModelForm):
    class Meta:
        model = Network
        fields = ["summary", "vision", "mission", "objectives", "about",
                  "contact_email", "open_to_join"]
        labels = {
            "summary": "Summary",
            "vision": "Vision",
            "mission": "Mission",
            "objectives": "Objectives",
            "about": "About the network",
            "contact_email": "Contact email address",
            "open_to_join": "Anyone can ask to join through the open form",
        }
        help_texts = {
            "open_to_join": "Leads decide each request. Untick this to add people "
            "by invitation only.",
            "summary": "One sentence, shown in lists of networks.",
            "objectives": "One objective per line.",
            "about": "Who the network is for and how it works. Blank lines start new "
            "paragraphs.",
        }
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 3}),
            "mission": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 6}),
            "about": forms.Textarea(attrs={"rows": 8}),
        }
        error_messages = {"summary": {"required": "Enter a summary"}}


class TopicForm(NHSModelForm):
    class Meta:
        model = Topic
        fields = ["name", "description"]
        labels = {"name": "Topic name", "description": "Description"}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"name": {"required": "Enter a topic name"}}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if self.network.topics.filter(name__iexact=name).exists():
            raise forms.ValidationError("The network already has a topic with that name")
        return name


class RoleForm(NHSForm):
    role = forms.ChoiceField(
        label="Role", choices=Role.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select a role"},
    )
