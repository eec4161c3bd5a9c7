"""The admin's question forms: friendlier fields, and the bank validator run over the whole form.

One validator for every door (docs/curation.md): the form and its inlines are turned into the bank entry
they would save, `bankfile.validate_question` checks it exactly as it checks an imported file, and each
message is put next to the field, row or inline it is about.
"""

import copy
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.forms.models import BaseInlineFormSet, construct_instance
from django.urls import reverse

from domain.languages import RUNNABLE_LANGUAGES

from .bankfile import normalise, unix_newlines, validate_question
from .checks import publish_problem
from .entries import CHILDREN, bank_entry, question_bank_data
from .markdown import render_markdown
from .models import Aspect, Question, QuestionStatus, RubricPoint, Signature, TestCase
from .selectors import question_categories, question_references

# Bank keys of the lists an inline edits, and the inline's prefix.
INLINE_OF = {"hints": "hints", "follow_ups": "follow_ups", "rubric": "rubric_points",
             "misconceptions": "misconceptions", "red_flags": "red_flags", "signatures": "signatures",
             "tests": "test_cases"}
FIELD_OF = {"complexity": "complexity_time", "complexity.time": "complexity_time",
            "complexity.space": "complexity_space"}
ROW = re.compile(r"^(?P<key>rubric|tests|misconceptions|red_flags)\[(?P<index>\d+)\]:? ?(?P<rest>.*)$")
SIGNATURE = re.compile(r"^signatures\.(?P<language>[^:\s]+):? ?(?P<rest>.*)$")
ITEM = re.compile(r"^'(?P<key>hints|follow_ups)\[(?P<index>\d+)\]' (?P<rest>.*)$")
QUOTED = re.compile(r"'([a-z_.]+)(?:\[\d+\])?'")
# Row messages that name no field of their own.
ROW_FIELD_HINTS = (("duplicate test name", "name"), ("a claim repeats", "claims"),
                   ("one claim must avoid", "claims"), ("can run", "language"))
TEXT_ROWS = {"hints", "follow_ups"}


class ListWidget(forms.Textarea):
    """One item per line; the admin script shows the items as chips (docs/curation.md, "Editing")."""

    def __init__(self, chips: str = "lines", attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"rows": 3, "data-chips": chips, **(attrs or {})})

    def format_value(self, value: Any) -> str:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return super().format_value(value) or ""


class ListField(forms.Field):
    """A list of texts typed one per line (tags may also be separated by commas); blank items are dropped.

    What is typed is what is stored: `"overflow"` is one phrase, never eight letters."""

    widget = ListWidget

    def __init__(self, *, separators: str = "\n", **kwargs: Any) -> None:
        self.separators = separators
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return [str(item).strip() for item in value if str(item).strip()]
        text = unix_newlines(value or "")
        return [item.strip() for item in re.split(f"[{re.escape(self.separators)}]", text) if item.strip()]


class DatalistInput(forms.TextInput):
    """A text input offering known values (a category, a language) while still taking a new one."""

    template_name = "admin/questionbank/widgets/datalist.html"

    def __init__(self, options: Iterable[str] = (), attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.options = list(options)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-options"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["options"] = self.options
        return context


class MarkdownEditor(forms.Textarea):
    """The description with its rendered preview below it (the page's script refreshes it as you type)."""

    template_name = "admin/questionbank/widgets/markdown.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["preview"] = render_markdown(value or "")
        return context


def code_area(rows: int = 8) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "code", "spellcheck": "false", "wrap": "off"})


def _clean_text(cleaned: dict[str, Any]) -> dict[str, Any]:
    """Line endings become "\\n" in every text field, as in an imported file."""
    return {name: unix_newlines(value) if isinstance(value, str) else value for name, value in cleaned.items()}


class InlineRowForm(forms.ModelForm):
    """A row of an ordered inline: its position is set by dragging (a hidden field the script keeps in step
    with the rows' order); a new row without one goes after the others."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "position" in self.fields:
            self.fields["position"] = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
            if self.instance.pk is None:
                self.initial["position"] = None

    def has_changed(self) -> bool:
        """A row whose only change is its position is an untouched extra row (or is reordered, which the
        admin saves for every row anyway)."""
        return bool(set(self.changed_data) - {"position"})

    def clean(self) -> dict[str, Any]:
        self.cleaned_data = _clean_text(super().clean())
        return self.cleaned_data

    def _post_clean(self) -> None:
        if self.cleaned_data.get("position") is None:
            self.cleaned_data.pop("position", None)  # keep the model's default; the admin renumbers
        super()._post_clean()


class RubricPointForm(InlineRowForm):
    phrases = ListField(help_text="One per line: the words a candidate who makes this point would use.")
    claims = ListField(help_text="One sentence per line, 2 to 5: the point stated as facts, one in everyday words.")

    class Meta:
        model = RubricPoint
        fields = ("position", "weight", "aspect", "point", "phrases", "claims")
        widgets = {"aspect": forms.Select(choices=[("", "-"), *Aspect.choices])}


class SignatureForm(InlineRowForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starter_code", "solution"):
            self.fields[name].strip = False  # code keeps its leading indentation and final newline

    class Meta:
        model = Signature
        fields = ("language", "function_name", "starter_code", "solution")
        widgets = {"language": DatalistInput(RUNNABLE_LANGUAGES),
                   "function_name": forms.TextInput(attrs={"class": "code"}),
                   "starter_code": code_area(6), "solution": code_area(12)}


class TestCaseForm(InlineRowForm):
    class Meta:
        model = TestCase
        fields = ("position", "name", "args", "expected", "hidden", "compare", "tolerance", "edge_case")
        widgets = {"args": code_area(2), "expected": code_area(2)}


def row_forms(formset: BaseInlineFormSet) -> list[forms.ModelForm]:
    """The rows that will be saved, in the order they will be shown: by position, then as they stand on the
    page (a new row has no position yet)."""
    rows = []
    for index, form in enumerate(formset.forms):
        if getattr(form, "cleaned_data", {}).get("DELETE") or (form.instance.pk is None and not form.has_changed()):
            continue
        position = form.cleaned_data.get("position") if hasattr(form, "cleaned_data") else None
        rows.append((math.inf if position is None else position, index, form))
    return [form for _, _, form in sorted(rows, key=lambda row: row[:2])]


class QuestionAdminForm(forms.ModelForm):
    """The question with the bank's checks over it and its inlines (the admin puts their formsets on the
    instance as `admin_formsets`; without them only the question's own fields are checked)."""

    tags = ListField(separators="\n,", widget=ListWidget(chips="tags"),
                     help_text="Kebab-case topic tags (hash-table, tcp), one per line or separated by commas.")

    class Meta:
        model = Question
        fields = ("slug", "type", "category", "difficulty", "title", "description", "estimated_time", "tags",
                  "status", "reference_answer", "complexity_time", "complexity_space")
        widgets = {"description": MarkdownEditor(attrs={"rows": 14, "class": "markdown-source"}),
                   "reference_answer": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].strip = False  # Markdown keeps its indentation (code blocks) as typed
        self.fields["category"].widget = DatalistInput(question_categories())
        self.fields["description"].widget.attrs["data-preview-url"] = reverse("admin:questionbank_question_preview")
        self.fields["status"].help_text = ("A coding question is published once its reference check passes "
                                           "against its current code and tests.")
        if self.slug_locked():
            self.fields["slug"].widget.attrs["readonly"] = True
            self.fields["slug"].help_text = "Fixed: candidates know this question by it (its public id)."

    def slug_locked(self) -> bool:
        """Once a question was live or asked in a session, its slug (and so its public id) stays."""
        question = self.instance
        return question.pk is not None and (
            Question.objects.filter(pk=question.pk).exclude(status=QuestionStatus.DRAFT).exists()
            or question_references(question=question) > 0)

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if self.instance.pk is not None and slug != self.instance.slug and self.slug_locked():
            raise forms.ValidationError("The slug cannot change once the question was published or used in a "
                                        "session: candidates know it by its public id, a hash of the slug.")
        return slug

    def clean(self) -> dict[str, Any]:
        self.cleaned_data = _clean_text(super().clean())
        self.formsets = getattr(self.instance, "admin_formsets", ())
        for formset in self.formsets:
            formset.is_valid()  # each row cleaned first: the entry is built from the rows' values
        self._check_as_bank_entry()
        return self.cleaned_data

    def _entry(self) -> dict[str, Any]:
        """The bank entry this form and its inlines would save."""
        question = construct_instance(self, copy.copy(self.instance))
        children: dict[str, list[Any]] = dict.fromkeys(CHILDREN, [])
        for formset in self.formsets:
            children[formset.prefix] = [form.instance for form in row_forms(formset)]
        return bank_entry(question, children)

    def _check_as_bank_entry(self) -> None:
        entry = self._entry()
        problems = validate_question(entry, "")
        placed = _Placement(self, self.formsets)
        for problem in problems:
            placed.add(problem.removeprefix(": "))
        if problems or self.errors:
            return
        stored = question_bank_data(self.instance) if self.instance.pk else None
        current = Question.objects.filter(pk=self.instance.pk).first()
        if problem := publish_problem(data=normalise(entry), question=current, stored=stored):
            self.add_error("status", f"Cannot publish yet: {problem}.")


class _Placement:
    """Puts each validator message next to what it is about: a field, an inline row's field, a row, or an
    inline as a whole; anything else goes at the top of the form."""

    def __init__(self, form: QuestionAdminForm, formsets: Sequence[BaseInlineFormSet]) -> None:
        self.form = form
        self.formsets = {formset.prefix: formset for formset in formsets}
        self.rows = {prefix: row_forms(formset) for prefix, formset in self.formsets.items()}

    def add(self, message: str) -> None:
        if match := ITEM.match(message):
            self._row(INLINE_OF[match["key"]], int(match["index"]), "text", message)
        elif match := ROW.match(message):
            self._row(INLINE_OF[match["key"]], int(match["index"]), self._row_field(match["rest"]), match["rest"])
        elif match := SIGNATURE.match(message):
            index = next((i for i, row in enumerate(self.rows.get("signatures", []))
                          if row.cleaned_data.get("language") == match["language"]), None)
            self._row("signatures", index, self._row_field(match["rest"]), match["rest"])
        else:
            self._top(message)

    @staticmethod
    def _row_field(message: str) -> str | None:
        for hint, name in ROW_FIELD_HINTS:
            if hint in message:
                return name
        names = QUOTED.findall(message)
        return names[0] if names else None

    def _row(self, prefix: str, index: int | None, field: str | None, message: str) -> None:
        rows = self.rows.get(prefix, [])
        if index is None or index >= len(rows):
            self._inline(prefix, message)
            return
        row = rows[index]
        if field not in row.fields:
            field = None
        if field is None or field not in row.errors:
            row.add_error(field, message)

    def _inline(self, prefix: str, message: str) -> None:
        formset = self.formsets.get(prefix)
        if formset is None:
            self.form.add_error(None, message)
            return
        formset.non_form_errors().append(message)

    def _top(self, message: str) -> None:
        names = [FIELD_OF.get(name, name) for name in QUOTED.findall(message)]
        if message.startswith("missing keys"):
            targets = names
        else:
            targets = next(([name] for name in names if name in self.form.fields or name in INLINE_OF), [])
        if not targets:
            targets = ["tests" if "test" in message else "rubric" if "rubric" in message else ""]
        for name in targets:
            if name in INLINE_OF:
                self._inline(INLINE_OF[name], message)
            elif name in self.form.fields:
                if name not in self.form.errors:
                    self.form.add_error(name, message)
            else:
                self.form.add_error(None, message)


class ImportForm(forms.Form):
    file = forms.FileField(help_text="A YAML file in the bank format (questionbank/bank/FORMAT.md).")
