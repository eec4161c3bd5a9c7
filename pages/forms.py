"""Page forms: they only shape browser input into the keyword arguments of the apps' services."""

from typing import Any

from django import forms

from accounts.models import User
from cloudinterview.choices import (
    RUNNABLE_LANGUAGES,
    Difficulty,
    ExperienceLevel,
    FeedbackStyle,
    Language,
    Mode,
    QuestionType,
)
from domain.languages import runnable_preference
from interviews.models import SessionStatus
from interviews.services.planning import DEFAULT_DURATION

LANGUAGE_LABELS = {"javascript": "JavaScript", "typescript": "TypeScript", "cpp": "C++", "csharp": "C#"}
LANGUAGE_CHOICES = [(v, LANGUAGE_LABELS.get(v, v.capitalize())) for v in Language.values]
# Interviews run code, so the languages offered for them are the ones that run (issue 14: Go gave an empty editor
# and "'go' cannot be run"); a profile's primary languages may name any, so saving the page never drops one.
INTERVIEW_LANGUAGE_CHOICES = [(v, label) for v, label in LANGUAGE_CHOICES if v in RUNNABLE_LANGUAGES]
MODE_CHOICES = [(Mode.TECHNICAL, "Technical"), (Mode.BEHAVIORAL, "Behavioral"),
                (Mode.SYSTEM_DESIGN, "System design"), (Mode.MIXED, "Mixed")]
MAX_LIST_ITEMS = 10


class CommaListField(forms.CharField):
    """'Backend Engineer, Tech Lead' <-> ["Backend Engineer", "Tech Lead"]."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        items = [item.strip() for item in text.split(",") if item.strip()]
        if len(items) > MAX_LIST_ITEMS:
            raise forms.ValidationError(f"At most {MAX_LIST_ITEMS} items.")
        return items


def _languages(label: str, *, choices: list[tuple[str, str]] = INTERVIEW_LANGUAGE_CHOICES) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)


class SignupForm(forms.Form):
    name = forms.CharField(max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(label="Password", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="Confirm password", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    experience_level = forms.ChoiceField(choices=ExperienceLevel.choices, initial=ExperienceLevel.MID)
    preferred_languages = _languages("Languages you interview in")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        return data


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label="New password", strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label="Confirm new password", strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "The two passwords differ.")
        return data


class SettingsForm(forms.Form):
    """Profile and preferences on one page: the fields of `user_update`."""

    name = forms.CharField(max_length=150, required=False)
    job_titles = CommaListField(required=False, max_length=600, help_text="Comma-separated, e.g. Backend Engineer")
    experience_level = forms.ChoiceField(choices=ExperienceLevel.choices)
    primary_languages = _languages("Primary languages", choices=LANGUAGE_CHOICES)
    areas_of_interest = CommaListField(required=False, max_length=600, help_text="Comma-separated")
    resume_summary = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    default_mode = forms.ChoiceField(label="Default interview mode", choices=MODE_CHOICES)
    default_difficulty = forms.ChoiceField(choices=Difficulty.choices)
    language_preferences = _languages("Preferred interview languages")
    feedback_style = forms.ChoiceField(choices=FeedbackStyle.choices)
    dark_mode = forms.BooleanField(required=False, label="Dark mode")
    voice_input_enabled = forms.BooleanField(required=False, label="Voice input (dictate answers)")

    PROFILE = ("job_titles", "experience_level", "primary_languages", "areas_of_interest", "resume_summary")
    PREFERENCES = ("default_mode", "default_difficulty", "language_preferences", "feedback_style", "dark_mode",
                   "voice_input_enabled")

    @classmethod
    def for_user(cls, user: User, data: Any = None) -> "SettingsForm":
        initial = {name: getattr(user, name) for name in ("name", *cls.PROFILE, *cls.PREFERENCES)}
        return cls(data=data, initial=initial)

    def update_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "profile": {k: data[k] for k in self.PROFILE},
                "preferences": {k: data[k] for k in self.PREFERENCES}}


MODE_FOR_TYPE = {QuestionType.CODING: Mode.TECHNICAL, QuestionType.THEORY: Mode.TECHNICAL,
                 QuestionType.BEHAVIORAL: Mode.BEHAVIORAL, QuestionType.SYSTEM_DESIGN: Mode.SYSTEM_DESIGN}


class StartInterviewForm(forms.Form):
    mode = forms.ChoiceField(choices=MODE_CHOICES, widget=forms.RadioSelect)
    job_type = forms.CharField(label="Role", max_length=150)
    difficulty = forms.ChoiceField(choices=Difficulty.choices)
    duration = forms.IntegerField(label="Duration (minutes)", min_value=5, max_value=180)
    language = forms.ChoiceField(label="Coding language", choices=INTERVIEW_LANGUAGE_CHOICES)
    topics = CommaListField(required=False, max_length=600,
                            help_text="Optional, comma-separated: categories or tags such as algorithms, caching")
    include_coding = forms.BooleanField(required=False, label="Include coding questions")
    # "Practise in an interview" on a question's page: the interview opens with that question.
    question_id = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    @classmethod
    def for_user(cls, user: User, data: Any = None, topics: str = "", question: Any = None) -> "StartInterviewForm":
        """Defaults from the preferences; from a question's page, the mode, difficulty, time and topic that
        interview needs (a system-design question in a system-design interview of at least its length)."""
        mode = user.default_mode
        initial = {
            "mode": mode, "job_type": user.job_titles[0] if user.job_titles else "Software Engineer",
            "difficulty": user.default_difficulty, "duration": DEFAULT_DURATION,
            "language": runnable_preference(user.language_preferences), "topics": topics,
            "include_coding": mode in (Mode.TECHNICAL, Mode.MIXED),
        }
        if question is not None:
            initial.update(mode=MODE_FOR_TYPE.get(question.type, mode), difficulty=question.difficulty,
                           duration=max(DEFAULT_DURATION, question.estimated_time), topics=question.category,
                           include_coding=question.type == QuestionType.CODING, question_id=question.public_id)
        return cls(data=data, initial=initial)

    def start_arguments(self) -> dict[str, Any]:
        """session_start's keyword arguments."""
        return {**self.cleaned_data, "question_id": self.cleaned_data["question_id"] or None}


class QuestionFilterForm(forms.Form):
    """The API's question filters; unknown values are ignored rather than failing the page."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    type = forms.ChoiceField(required=False, choices=[("", "Any type"), *QuestionType.choices])
    difficulty = forms.ChoiceField(required=False, choices=[("", "Any difficulty"), *Difficulty.choices])
    category = forms.ChoiceField(required=False, choices=[("", "Any category")])
    topics = CommaListField(required=False, max_length=500, help_text="Comma-separated tags")

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Any category"), *((c, c.capitalize()) for c in categories)]

    def filters(self) -> dict[str, Any]:
        """QuestionFilter's data (topics comma-separated, as in the API's query)."""
        if not self.is_valid():
            return {}
        data = {key: value for key, value in self.cleaned_data.items() if value}
        if data.get("topics"):
            data["topics"] = ",".join(data["topics"])
        return data


class SessionFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[
        ("", "Any status"), (SessionStatus.PENDING, "Not started"), (SessionStatus.IN_PROGRESS, "In progress"),
        (SessionStatus.COMPLETED, "Completed"), (SessionStatus.ABANDONED, "Abandoned")])
    mode = forms.ChoiceField(required=False, choices=[("", "Any mode"), *MODE_CHOICES])

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class WebhookForm(forms.Form):
    """A webhook endpoint as the settings page creates it (webhooks.services.endpoints.endpoint_create)."""

    url = forms.CharField(label="Endpoint URL", max_length=2000,
                          widget=forms.URLInput(attrs={"placeholder": "https://example.com/hooks/cloudinterview"}))
    description = forms.CharField(max_length=200, required=False)
    events = forms.MultipleChoiceField(
        choices=[("session.completed", "Session completed"), ("feedback.ready", "Feedback report ready"),
                 ("answer.evaluated", "Each answer evaluated")],
        initial=["session.completed", "feedback.ready"], widget=forms.CheckboxSelectMultiple)
