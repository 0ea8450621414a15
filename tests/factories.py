"""Factories for the domain models, shared by every test module."""

import datetime

import factory
from django.contrib.auth.models import Group

from commitments import models
from community.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            group, _ = Group.objects.get_or_create(name=role)
            self.groups.add(group)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Institution

    slug = factory.Sequence(lambda n: f"institution-{n}")
    name_fr = factory.Sequence(lambda n: f"Ministère numéro {n}")
    name_en = factory.Sequence(lambda n: f"Ministry number {n}")
    kind = models.Institution.Kind.MINISTRY


class PolicyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PolicyArea

    slug = factory.Sequence(lambda n: f"area-{n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ActionPlan

    slug = factory.Sequence(lambda n: f"fr-plan-{n}")
    title_fr = factory.Sequence(lambda n: f"Plan d'action {n}")
    title_en = factory.Sequence(lambda n: f"Action plan {n}")
    start = datetime.date(2021, 9, 1)
    end = datetime.date(2023, 9, 1)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Commitment
        skip_postgeneration_save = True

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title_fr = factory.Sequence(lambda n: f"Engagement {n}")
    title_en = factory.Sequence(lambda n: f"Commitment {n}")
    start = datetime.date(2021, 9, 1)
    end = datetime.date(2023, 9, 1)

    @factory.post_generation
    def lead_institutions(self, create, extracted, **kwargs):
        if create and extracted:
            self.lead_institutions.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Milestone

    commitment = factory.SubFactory(CommitmentFactory)
    title_fr = factory.Sequence(lambda n: f"Jalon {n}")
    planned_start = datetime.date(2022, 1, 1)
    planned_end = datetime.date(2022, 6, 30)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgressUpdate

    commitment = factory.SubFactory(CommitmentFactory)
    period_start = datetime.date(2022, 1, 1)
    period_end = datetime.date(2022, 6, 30)
    status = models.Status.IN_PROGRESS
    percentage = 50
    author_institution = factory.SubFactory(InstitutionFactory)
