"""Account shapes on the wire (docs/api.md, "Accounts"), camelCase both ways."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cloudinterview.api.responses import BoundedListField, StrictSerializer
from cloudinterview.choices import Difficulty, ExperienceLevel, FeedbackStyle, Language, Mode


class LanguageListField(serializers.ListField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(child=serializers.ChoiceField(choices=Language.choices), max_length=len(Language), **kwargs)


class ProfileFields(StrictSerializer):
    jobTitles = BoundedListField(source="job_titles", max_items=10, max_length=100, required=False)
    experienceLevel = serializers.ChoiceField(source="experience_level", choices=ExperienceLevel.choices,
                                              required=False)
    primaryLanguages = BoundedListField(source="primary_languages", max_items=20, max_length=40, required=False)
    industries = BoundedListField(max_items=20, max_length=60, required=False)
    resumeSummary = serializers.CharField(source="resume_summary", max_length=5000, allow_blank=True, required=False)
    areasOfInterest = BoundedListField(source="areas_of_interest", max_items=20, max_length=100, required=False)


class PreferenceFields(StrictSerializer):
    defaultMode = serializers.ChoiceField(source="default_mode", choices=Mode.choices, required=False)
    defaultDifficulty = serializers.ChoiceField(source="default_difficulty", choices=Difficulty.choices,
                                                required=False)
    languagePreferences = LanguageListField(source="language_preferences", required=False)
    feedbackStyle = serializers.ChoiceField(source="feedback_style", choices=FeedbackStyle.choices, required=False)
    voiceInputEnabled = serializers.BooleanField(source="voice_input_enabled", required=False)
    darkMode = serializers.BooleanField(source="dark_mode", required=False)


class StatsOutput(serializers.Serializer):
    totalSessions = serializers.IntegerField()
    averageScore = serializers.FloatField()
    completedChallenges = serializers.IntegerField()
    streakDays = serializers.IntegerField()


class UserOutput(serializers.Serializer):
    """The account as the auth endpoints return it."""

    userId = serializers.CharField(source="public_id")
    email = serializers.EmailField()
    name = serializers.CharField()
    profile = ProfileFields(source="*")
    preferences = PreferenceFields(source="*")
    createdAt = serializers.DateTimeField(source="created_at")
    lastActive = serializers.DateTimeField(source="last_active", allow_null=True)


class UserWithStatsOutput(UserOutput):
    """`GET /users/me`: the account with the stats of its sessions, which the door computes (they are feedback's
    reads, downstream of accounts) and passes in the context as `stats`."""

    stats = serializers.SerializerMethodField()

    @extend_schema_field(StatsOutput)
    def get_stats(self, user: object) -> dict:
        return StatsOutput(self.context["stats"]).data


class TokensOutput(serializers.Serializer):
    accessToken = serializers.CharField()
    refreshToken = serializers.CharField()
    tokenType = serializers.ChoiceField(choices=["Bearer"], default="Bearer")
    expiresIn = serializers.IntegerField()


class RegisterInput(StrictSerializer):
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    preferredLanguages = LanguageListField(source="preferred_languages", required=False)
    experienceLevel = serializers.ChoiceField(source="experience_level", choices=ExperienceLevel.choices,
                                              required=False)


class LoginInput(StrictSerializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class RefreshInput(StrictSerializer):
    refreshToken = serializers.CharField(source="refresh_token", required=False, max_length=2000)


class LogoutInput(StrictSerializer):
    allDevices = serializers.BooleanField(source="all_devices", required=False, default=False)


class PasswordChangeInput(StrictSerializer):
    currentPassword = serializers.CharField(source="current_password", max_length=128, trim_whitespace=False)
    newPassword = serializers.CharField(source="new_password", max_length=128, trim_whitespace=False)


class UserDeleteInput(StrictSerializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class UserUpdateInput(StrictSerializer):
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    profile = ProfileFields(required=False)
    preferences = PreferenceFields(required=False)
