"""The NHS form renderer's wording: empty choices, length errors, "(optional)"."""

from django import forms

from msknet.core.forms import NHSForm, empty_choice_label, with_article


class PickForm(NHSForm):
    name = forms.CharField(label="Full name", max_length=150)
    code = forms.CharField(label="Code", min_length=3, required=False)
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=None, required=False
    )
    icb = forms.ChoiceField(
        label="ICB", choices=[("", "---------"), ("QMJ", "North Central London")]
    )
    term = forms.ChoiceField(
        label="Term", widget=forms.RadioSelect,
        choices=[("", "---------"), ("short", "Short")],
    )
    note = forms.CharField(label="Note", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from msknet.members.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.none()


class AllOptionalForm(PickForm):
    all_optional = True


def test_select_empty_choices_say_what_to_choose(db):
    html = str(PickForm())

    assert "---------" not in html
    assert "Choose an organisation" in html
    assert "Choose an ICB" in html


def test_radios_drop_the_empty_choice(db):
    form = PickForm()

    assert [value for value, _ in form["term"].field.choices] == ["short"]


def test_too_long_answers_get_an_nhs_style_message(db):
    form = PickForm({"name": "x" * 151, "icb": "QMJ", "term": "short", "code": "ab"})

    assert not form.is_valid()
    assert form.errors["name"] == ["Full name must be 150 characters or fewer"]
    assert form.errors["code"] == ["Code must be 3 characters or more"]
    assert "Ensure this value" not in str(form)


def test_optional_fields_are_marked_unless_the_form_says_so_once(db):
    assert "Note (optional)" in str(PickForm())
    assert "(optional)" not in str(AllOptionalForm())


def test_articles_read_naturally():
    assert with_article("organisation") == "an organisation"
    assert with_article("owner") == "an owner"
    assert with_article("sponsor") == "a sponsor"
    assert with_article("ICB") == "an ICB"
    assert with_article("PCN") == "a PCN"
    assert empty_choice_label("Network member") == "Choose a network member"


class NumbersForm(NHSForm):
    capacity = forms.IntegerField(label="Capacity", min_value=0, max_value=500)
    weight = forms.DecimalField(label="Weight")
    opens_on = forms.DateField(label="Start date")
    email = forms.EmailField(label="Email address")
    kind = forms.ChoiceField(label="Kind of event", choices=[("a", "A")])
    why = forms.CharField(label="What the round is for")
    named = forms.CharField(label="Title", error_messages={"required": "Enter a title"})


def test_django_default_errors_say_what_to_do(db):
    form = NumbersForm({"capacity": "-1", "weight": "lots", "opens_on": "31/02/2026",
                        "email": "nope", "kind": "b"})

    assert not form.is_valid()
    assert form.errors == {
        "capacity": ["Capacity must be 0 or more"],
        "weight": ["Enter the weight as a number, like 2.5"],
        "opens_on": ["Enter the start date as a real date"],
        "email": [("Enter an email address in the correct format, like "
                  "name@example.com")],
        "kind": ["Choose the kind of event from the list"],
        "why": ["Enter what the round is for"],
        "named": ["Enter a title"],  # a form's own words are kept
    }
    assert NumbersForm({"capacity": "501"}).errors["capacity"] == [
        "Capacity must be 500 or less"]


class TickAndFileForm(NHSForm):
    agree = forms.BooleanField(label="I understand this cannot be undone")
    document = forms.FileField(label="Document")


def test_unticked_boxes_and_missing_files_say_what_to_do(db):
    assert TickAndFileForm({}).errors == {
        "agree": ["Tick 'I understand this cannot be undone' to continue"],
        "document": ["Choose the document to upload"],
    }
