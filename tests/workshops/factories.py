"""Factories for workshops and documents."""

import datetime

import factory

from commitments.models import Institution
from tests.factories import InstitutionFactory
from tests.workshops import samples
from workshops import times
from workshops.models import Document, Workshop


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=times.WORKSHOP_TIME_ZONE)


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Atelier numéro {n}")
    kind = Workshop.Kind.WORKSHOP
    starts_at = paris(2030, 3, 12, 14, 0)
    ends_at = factory.LazyAttribute(lambda w: w.starts_at + datetime.timedelta(hours=2))
    place = "Paris, 20 avenue de Ségur"

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisers.set(extracted)

    @factory.post_generation
    def commitments(self, create, extracted, **kwargs):
        if create and extracted:
            self.commitments.set(extracted)

    @factory.post_generation
    def milestones(self, create, extracted, **kwargs):
        if create and extracted:
            self.milestones.set(extracted)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Compte rendu {n}")
    kind = Document.Kind.MINUTES
    file = factory.LazyFunction(lambda: samples.pdf())

    @factory.post_generation
    def commitments(self, create, extracted, **kwargs):
        if create and extracted:
            self.commitments.set(extracted)


class CivilSocietyFactory(InstitutionFactory):
    kind = Institution.Kind.CIVIL_SOCIETY
    name_fr = factory.Sequence(lambda n: f"Association {n}")
