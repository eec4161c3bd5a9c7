import factory

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    name = factory.Faker("name")
    job_titles = factory.LazyFunction(lambda: ["Backend Engineer"])
    language_preferences = factory.LazyFunction(lambda: ["python"])
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-9")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()
