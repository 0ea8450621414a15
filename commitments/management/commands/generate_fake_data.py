"""Fill the database with clearly fictional plans, to measure and stress the site.

Everything made here is fictional and says so: slugs and user names start with
"demo-", titles with "Exemple fictif" / "Fictional example", e-mail addresses
end in ".invalid", and the accounts cannot log in. Nothing is ever added to an
existing plan. The same seed gives the same data, so two benchmark runs read
the same pages.

Rows go in with bulk_create, history rows included (written straight into the
historical tables, as simple-history's own bulk helper does), so the stress
scale takes minutes rather than the hours that one save() per row would.
"""

import datetime
import logging
import random
import time
from dataclasses import dataclass, replace
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commitments import facts, roles
from commitments.dates import Precision, last_day
from commitments.models import (
    ActionPlan,
    Commitment,
    EvidenceLink,
    Institution,
    IrmAssessment,
    Milestone,
    PolicyArea,
    ProgressUpdate,
    Status,
)
from ogp_tracker import pagecache

logger = logging.getLogger(__name__)

PREFIX = "demo-"
UTC = datetime.UTC
# Fixed dates rather than "today", so the same seed always writes the same rows.
# The first plan runs across this moment: some milestones are due, some are not.
HISTORY_END = datetime.datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
CURRENT_PLAN_START = datetime.date(2025, 9, 1)
BATCH = 5000


@dataclass(frozen=True)
class Scale:
    """How many rows of each kind to write."""

    plans: int
    commitments: int
    milestones: int
    comments: int
    history_rows: int
    workshops: int
    users: int
    institutions: int
    policy_areas: int = 12
    # One commitment of the first plan gets this many comments (0: none).
    hot_comments: int = 0
    # Another commitment gets exactly this many, the benchmark's "typical" page.
    typical_comments: int = 50
    commitment_versions: int = 5

    def times(self, factor: int) -> "Scale":
        """Return this scale with every count of rows multiplied by factor."""
        return replace(
            self,
            commitments=self.commitments * factor,
            milestones=self.milestones * factor,
            comments=self.comments * factor,
            history_rows=self.history_rows * factor,
            workshops=self.workshops * factor,
            users=self.users * factor,
            hot_comments=self.hot_comments * factor,
        )


SCALES = {
    "realistic": Scale(
        plans=1,
        commitments=60,
        milestones=600,
        comments=3000,
        history_rows=6000,
        workshops=20,
        users=150,
        institutions=12,
    ),
    "stress": Scale(
        plans=10,
        commitments=5000,
        milestones=50000,
        comments=200000,
        history_rows=500000,
        workshops=500,
        users=3000,
        institutions=40,
        hot_comments=5000,
    ),
    # For the benchmark of the CSV export: one plan of a million milestones,
    # so that its milestone file has 1,000,000 rows.
    "export": Scale(
        plans=1,
        commitments=1000,
        milestones=1_000_000,
        comments=0,
        history_rows=1 + 1000 + 1_000_000,
        workshops=0,
        users=10,
        institutions=12,
        typical_comments=0,
        commitment_versions=1,
    ),
}

TOPICS = [
    ("données ouvertes", "open data"),
    ("participation citoyenne", "citizen participation"),
    ("transparence de la commande publique", "open contracting"),
    ("accès à l'information", "access to information"),
    ("lobbying et intégrité", "lobbying and integrity"),
    ("algorithmes publics", "public algorithms"),
    ("budget participatif", "participatory budgeting"),
    ("justice ouverte", "open justice"),
    ("environnement et climat", "environment and climate"),
    ("santé publique", "public health"),
    ("éducation", "education"),
    ("collectivités locales", "local government"),
]
VERBS = [
    ("Publier", "Publish"),
    ("Ouvrir", "Open"),
    ("Renforcer", "Strengthen"),
    ("Associer les usagers à", "Involve users in"),
    ("Documenter", "Document"),
    ("Évaluer", "Assess"),
]
COMMENT_SENTENCES = [
    "Où en est la publication des données annoncée pour ce trimestre ?",
    "Merci pour ce point d'étape, très clair.",
    "Le jalon semble en retard : une nouvelle date est-elle prévue ?",
    "Notre association peut contribuer à l'atelier de concertation.",
    "Les éléments de preuve ne sont pas accessibles, le lien est cassé.",
    "Pourriez-vous préciser le calendrier de la phase pilote ?",
    "Très bonne initiative, à étendre aux collectivités.",
    "Quels indicateurs permettront de mesurer l'impact ?",
    "Le format des fichiers publiés n'est pas **réutilisable** facilement.",
    "Je rejoins la remarque précédente sur la qualité des données.",
    "Une synthèse de l'atelier sera-t-elle publiée ?",
    "L'engagement mériterait une feuille de route plus détaillée.",
]
OFFICIAL_SENTENCES = [
    "Merci pour votre question : la publication est prévue au prochain semestre.",
    "Le lien a été corrigé, merci de l'avoir signalé.",
    "Le calendrier révisé figure dans le dernier point d'étape.",
]
IRM_RATINGS = {
    "verifiable": ["yes", "no"],
    "relevant_to_ogp_values": ["yes", "no"],
    "ambition": ["low", "modest", "substantial"],
    "completion": ["not_started", "limited", "substantial", "complete"],
    "early_results": ["no_notable", "marginal", "moderate", "significant"],
}


def demo_exists() -> bool:
    return ActionPlan.objects.filter(slug__startswith=PREFIX).exists()


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=UTC)


def spread(total: int, parts: int) -> list[int]:
    """Split total into parts as even as whole numbers allow, larger ones first."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


class Generator:
    """Write one scale of fictional data; each step is one method."""

    def __init__(self, scale: Scale, seed: int = 1, log=None):
        self.scale = scale
        self.random = random.Random(seed)
        self.log = log or (lambda message: None)
        self.counts: dict[str, int] = {}

    def run(self) -> dict[str, int]:
        steps = [
            self.make_reference_data,
            self.make_users,
            self.make_plans,
            self.make_commitments,
            self.make_milestones,
            self.make_updates,
            self.store_facts,
            self.make_history,
            self.make_comments,
            self.make_follows,
            self.make_workshops,
        ]
        for step in steps:
            started = time.monotonic()
            with transaction.atomic():
                step()
            self.log(f"{step.__name__}: {time.monotonic() - started:.1f} s")

        return self.counts

    def count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    # Institutions, policy areas and accounts ----------------------------------

    def make_reference_data(self) -> None:
        institutions = [
            Institution(
                slug=f"{PREFIX}ministere-{index:02d}",
                name_fr=f"Ministère fictif n°{index}",
                name_en=f"Fictional ministry {index}",
                acronym=f"MF{index}",
                kind=Institution.Kind.MINISTRY,
            )
            for index in range(1, self.scale.institutions + 1)
        ]
        self.institutions = Institution.objects.bulk_create(institutions)
        areas = [
            PolicyArea(
                slug=f"{PREFIX}area-{index:02d}",
                name_fr=f"Domaine fictif : {TOPICS[index % len(TOPICS)][0]}",
                name_en=f"Fictional area: {TOPICS[index % len(TOPICS)][1]}",
            )
            for index in range(1, self.scale.policy_areas + 1)
        ]
        self.areas = PolicyArea.objects.bulk_create(areas)
        self.count("institutions", len(institutions))
        self.count("policy_areas", len(areas))

    def make_users(self) -> None:
        User = apps.get_model("community", "User")
        # Accounts that cannot log in: the data is for looking and measuring,
        # and a known password on a forgotten demo database would be a door.
        editors = [
            User(
                username=f"{PREFIX}editor-{institution.slug.removeprefix(PREFIX)}",
                email=f"{PREFIX}editor-{index}@example.invalid",
                display_name=f"Agent fictif {index}",
                is_staff=True,
                password="!demo-account-without-password",
            )
            for index, institution in enumerate(self.institutions, start=1)
        ]
        members = [
            User(
                username=f"{PREFIX}member-{index:05d}",
                email=f"{PREFIX}member-{index}@example.invalid",
                display_name=f"Membre fictif {index}",
                organisation="Association fictive" if index % 3 == 0 else "",
                password="!demo-account-without-password",
            )
            for index in range(1, self.scale.users + 1)
        ]
        self.editors = User.objects.bulk_create(editors)
        self.members = User.objects.bulk_create(members, batch_size=BATCH)

        group, _created = Group.objects.get_or_create(name=roles.EDITORS)
        group.user_set.add(*self.editors)
        Membership = Institution.members.through
        Membership.objects.bulk_create(
            Membership(institution_id=institution.pk, user_id=editor.pk)
            for institution, editor in zip(self.institutions, self.editors, strict=True)
        )
        self.editor_of = {
            institution.pk: editor
            for institution, editor in zip(self.institutions, self.editors, strict=True)
        }
        if apps.is_installed("allauth.account"):
            EmailAddress = apps.get_model("account", "EmailAddress")
            EmailAddress.objects.bulk_create(
                (
                    EmailAddress(
                        user=user, email=user.email, verified=True, primary=True
                    )
                    for user in self.members
                ),
                batch_size=BATCH,
            )
        self.count("users", len(editors) + len(members))

    # Plans, commitments, milestones, updates ----------------------------------

    def make_plans(self) -> None:
        plans = []
        for index in range(1, self.scale.plans + 1):
            # The first plan is the current one; the others are older.
            start = CURRENT_PLAN_START.replace(
                year=CURRENT_PLAN_START.year - 2 * (index - 1)
            )
            plans.append(
                ActionPlan(
                    slug=f"{PREFIX}plan-{index:02d}",
                    country="FR",
                    title_fr=f"Exemple fictif – plan d'action n°{index}",
                    title_en=f"Fictional example – action plan {index}",
                    start=start,
                    end=start.replace(year=start.year + 2) - datetime.timedelta(1),
                    end_precision=Precision.MONTH,
                    announced_commitments=0,
                    sources=[],
                )
            )
        self.plans = ActionPlan.objects.bulk_create(plans)
        self.count("plans", len(plans))

    def make_commitments(self) -> None:
        rnd = self.random
        commitments = []
        per_plan = spread(self.scale.commitments, self.scale.plans)
        for plan, n in zip(self.plans, per_plan, strict=True):
            plan.announced_commitments = n
            for number in range(1, n + 1):
                verb_fr, verb_en = rnd.choice(VERBS)
                topic_fr, topic_en = rnd.choice(TOPICS)
                start = plan.start.replace(month=rnd.choice([9, 10, 11, 12]))
                months_early = datetime.timedelta(days=31 * rnd.randint(0, 9))
                end = (plan.end - months_early).replace(day=1)
                commitments.append(
                    Commitment(
                        plan=plan,
                        number=number,
                        title_fr=f"Exemple fictif {number} : {verb_fr} {topic_fr}",
                        title_en=f"Fictional example {number}: {verb_en} {topic_en}",
                        summary_fr=(
                            f"Engagement fictif de démonstration sur {topic_fr}. "
                            "Il ne décrit aucune politique réelle."
                        ),
                        summary_en=(
                            f"A fictional demonstration commitment on {topic_en}. "
                            "It describes no real policy."
                        ),
                        problem_fr=f"Le sujet « {topic_fr} » manque de suivi public.",
                        commitment_fr=f"{verb_fr} {topic_fr}, selon un calendrier.",
                        value_access_to_information=rnd.random() < 0.6,
                        value_civic_participation=rnd.random() < 0.5,
                        value_public_accountability=rnd.random() < 0.4,
                        value_technology_innovation=rnd.random() < 0.3,
                        start=start,
                        start_precision=Precision.MONTH,
                        end=end,
                        end_precision=Precision.MONTH,
                        end_by=last_day(end, Precision.MONTH),
                        status=Status.IN_PROGRESS,
                        progress=Decimal(0),
                        sources=[],
                    )
                )
        self.commitments = Commitment.objects.bulk_create(commitments, batch_size=BATCH)
        # The benchmark's pages read the first plan's first two commitments at
        # every scale; they get the same shape each time (updates with
        # evidence, a workshop) so their pages run the same queries.
        self.featured = {c.pk for c in self.commitments[:2]}
        ActionPlan.objects.bulk_update(self.plans, ["announced_commitments"])

        through = Commitment.lead_institutions.through
        partners = Commitment.partners.through
        areas = Commitment.policy_areas.through
        self.relations: dict[int, tuple[list, list, list]] = {}
        lead_rows, partner_rows, area_rows = [], [], []
        for commitment in self.commitments:
            chosen = rnd.sample(self.institutions, k=min(3, len(self.institutions)))
            leads = chosen[: rnd.choice([1, 1, 2])]
            others = chosen[len(leads) : len(leads) + rnd.randint(0, 1)]
            picked_areas = rnd.sample(self.areas, k=rnd.randint(1, 3))
            self.relations[commitment.pk] = (
                [i.pk for i in leads],
                [i.pk for i in others],
                [a.pk for a in picked_areas],
            )
            lead_rows += [
                through(commitment_id=commitment.pk, institution_id=i.pk) for i in leads
            ]
            partner_rows += [
                partners(commitment_id=commitment.pk, institution_id=i.pk)
                for i in others
            ]
            area_rows += [
                areas(commitment_id=commitment.pk, policyarea_id=a.pk)
                for a in picked_areas
            ]
        # History rows of a relation copy the live link rows, their ids included.
        self.links: dict[int, list[tuple[str, str, int, int]]] = {}
        for name, model, rows, column in (
            ("lead_institutions", through, lead_rows, "institution_id"),
            ("partners", partners, partner_rows, "institution_id"),
            ("policy_areas", areas, area_rows, "policyarea_id"),
        ):
            for row in model.objects.bulk_create(rows, batch_size=BATCH):
                link = (name, column, row.pk, getattr(row, column))
                self.links.setdefault(row.commitment_id, []).append(link)

        first_plan = [c for c in self.commitments if c.plan_id == self.plans[0].pk]
        IrmAssessment.objects.bulk_create(
            IrmAssessment(
                commitment=commitment,
                **{field: rnd.choice(values) for field, values in IRM_RATINGS.items()},
            )
            for commitment in first_plan[::2]
        )
        self.count("commitments", len(commitments))

    def make_milestones(self) -> None:
        rnd = self.random
        milestones = []
        per_commitment = spread(self.scale.milestones, len(self.commitments))
        today = HISTORY_END.date()
        for commitment, n in zip(self.commitments, per_commitment, strict=True):
            span = max((commitment.end_by - commitment.start).days, 60)
            for position in range(1, n + 1):
                planned_start = commitment.start + datetime.timedelta(
                    days=span * (position - 1) // max(n, 1)
                )
                planned_end = planned_start + datetime.timedelta(
                    days=rnd.randint(30, 120)
                )
                revised = None
                if rnd.random() < 0.2:
                    revised = planned_end + datetime.timedelta(
                        days=rnd.randint(30, 180)
                    )
                due = revised or planned_end
                if due < today:
                    status = rnd.choices(
                        ["done", "in_progress", "not_started", "cancelled"],
                        [70, 15, 10, 5],
                    )[0]
                else:
                    status = rnd.choices(["not_started", "in_progress"], [60, 40])[0]
                completed = None
                if status == "done":
                    completed = min(due, today) - datetime.timedelta(rnd.randint(0, 20))
                milestones.append(
                    Milestone(
                        commitment=commitment,
                        position=position,
                        title_fr=f"Jalon fictif {position} ({commitment.number})",
                        title_en=f"Fictional step {position} ({commitment.number})",
                        planned_start=planned_start,
                        planned_end=planned_end,
                        revised_due=revised,
                        status=status,
                        completed_on=completed,
                        deliverable=f"Livrable fictif n°{position}",
                        due_date=due,
                    )
                )
        self.milestones = Milestone.objects.bulk_create(milestones, batch_size=BATCH)
        self.count("milestones", len(milestones))

    def make_updates(self) -> None:
        rnd = self.random
        updates = []
        for commitment in self.commitments:
            percentage = 0
            lead = self.relations[commitment.pk][0][0]
            period_start = commitment.start
            steps = 4 if commitment.pk in self.featured else rnd.randint(0, 4)
            for _step in range(steps):
                period_end = period_start + datetime.timedelta(days=182)
                if period_end >= HISTORY_END.date():
                    break
                percentage = min(100, percentage + rnd.randint(5, 35))
                status = Status.COMPLETED if percentage == 100 else Status.IN_PROGRESS
                updates.append(
                    ProgressUpdate(
                        commitment=commitment,
                        recorded_at=at(period_end + datetime.timedelta(days=10)),
                        period_start=period_start,
                        period_end=period_end,
                        status=status,
                        percentage=Decimal(percentage),
                        achievements=f"Avancement fictif : {percentage} %.",
                        challenges="Difficulté fictive." if rnd.random() < 0.3 else "",
                        help_wanted=rnd.random() < 0.1,
                        author_institution_id=lead,
                        author=self.editor_of[lead],
                    )
                )
                period_start = period_end + datetime.timedelta(days=1)
                if status == Status.COMPLETED:
                    break
        updates = ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)
        EvidenceLink.objects.bulk_create(
            (
                EvidenceLink(
                    update=update,
                    title="Preuve fictive",
                    url=f"https://example.org/demo/evidence/{index}",
                )
                for index, update in enumerate(updates)
                if index % 2 == 0 or update.commitment_id in self.featured
            ),
            batch_size=BATCH,
        )
        self.count("progress_updates", len(updates))

    def store_facts(self) -> None:
        # bulk_create sends no signals: the facts are stored here, once, and
        # the pages stored before are retired.
        facts.store_facts(commitment.pk for commitment in self.commitments)
        pagecache.retire_pages()

    # History ------------------------------------------------------------------

    def make_history(self) -> None:
        """Write history rows whose latest row per object matches the live row."""
        scale = self.scale
        commitment_rows = scale.commitment_versions * len(self.commitments)
        milestone_rows = scale.history_rows - len(self.plans) - commitment_rows
        if milestone_rows < len(self.milestones):
            raise CommandError("history_rows is too small for this scale.")

        HPlan = ActionPlan.history.model
        HPlan.objects.bulk_create(
            HPlan(
                **self._values(plan, HPlan),
                history_date=at(plan.start) - datetime.timedelta(days=30),
                history_type="+",
                history_change_reason="Exemple fictif : création",
            )
            for plan in self.plans
        )
        self.count("history_rows", len(self.plans))
        self._commitment_history()
        self._milestone_history(spread(milestone_rows, len(self.milestones)))

    def _values(self, obj, history_model) -> dict:
        names = [
            field.attname
            for field in history_model._meta.concrete_fields
            if not field.attname.startswith("history_")
        ]
        return {name: getattr(obj, name) for name in names}

    def _dates(self, first: datetime.datetime, n: int) -> list[datetime.datetime]:
        """Return n moments from first to before HISTORY_END, in order."""
        span = max((HISTORY_END - first).total_seconds(), n * 3600)
        offsets = sorted(self.random.random() * span for _ in range(n - 1))
        return [first] + [first + datetime.timedelta(seconds=o) for o in offsets]

    def _commitment_history(self) -> None:
        HCommitment = Commitment.history.model
        versions = self.scale.commitment_versions
        progress_steps = [Decimal(p) for p in (0, 10, 25, 40, 60, 80, 100)]
        m2m = {
            name: HCommitment._meta.get_field(
                f"historicalcommitment_{name}"
            ).related_model
            for name in ("lead_institutions", "partners", "policy_areas")
        }
        for start in range(0, len(self.commitments), BATCH // versions):
            chunk = self.commitments[start : start + BATCH // versions]
            rows = []
            for commitment in chunk:
                values = self._values(commitment, HCommitment)
                created = at(commitment.plan.start) - datetime.timedelta(days=20)
                for k, moment in enumerate(self._dates(created, versions)):
                    last = k == versions - 1
                    row = dict(values)
                    if not last:
                        row["status"] = (
                            Status.NOT_STARTED if k == 0 else Status.IN_PROGRESS
                        )
                        row["progress"] = progress_steps[
                            min(k, len(progress_steps) - 1)
                        ]
                        row["summary_fr"] = f"{values['summary_fr']} (version {k + 1})"
                    rows.append(
                        HCommitment(
                            **row,
                            history_date=moment,
                            history_type="+" if k == 0 else "~",
                            history_change_reason="Exemple fictif : mise à jour",
                            history_user=self.editor_of[
                                self.relations[commitment.pk][0][0]
                            ],
                        )
                    )
            rows = HCommitment.objects.bulk_create(rows, batch_size=BATCH)
            relation_rows = {name: [] for name in m2m}
            for row in rows:
                for name, column, link_id, target in self.links[row.id]:
                    relation_rows[name].append(
                        m2m[name](
                            id=link_id,
                            history_id=row.history_id,
                            commitment_id=row.id,
                            **{column: target},
                        )
                    )
            for name, model in m2m.items():
                model.objects.bulk_create(relation_rows[name], batch_size=BATCH)
            self.count("history_rows", len(rows))

    def _milestone_history(self, versions_per_milestone: list[int]) -> None:
        HMilestone = Milestone.history.model
        by_id = {c.pk: c for c in self.commitments}
        rows = []
        for milestone, versions in zip(
            self.milestones, versions_per_milestone, strict=True
        ):
            values = self._values(milestone, HMilestone)
            plan_start = by_id[milestone.commitment_id].plan.start
            created = at(plan_start) - datetime.timedelta(days=10)
            for k, moment in enumerate(self._dates(created, versions)):
                row = dict(values)
                if k < versions - 1:
                    # Earlier versions: not started yet, no slippage, a draft
                    # deliverable; the last one is the live row.
                    row.update(
                        status="not_started" if k < versions // 2 else "in_progress",
                        completed_on=None,
                        revised_due=None,
                        due_date=milestone.planned_end,
                        deliverable=f"{values['deliverable']} (brouillon {k + 1})",
                    )
                rows.append(
                    HMilestone(
                        **row,
                        history_date=moment,
                        history_type="+" if k == 0 else "~",
                        history_change_reason="Exemple fictif : jalon",
                    )
                )
            if len(rows) >= BATCH:
                HMilestone.objects.bulk_create(rows, batch_size=BATCH)
                self.count("history_rows", len(rows))
                rows = []
        HMilestone.objects.bulk_create(rows, batch_size=BATCH)
        self.count("history_rows", len(rows))

    # Comments and follows -----------------------------------------------------

    def make_comments(self) -> None:
        if not apps.is_installed("community"):
            return
        Comment = apps.get_model("community", "Comment")
        first_plan = [c for c in self.commitments if c.plan_id == self.plans[0].pk]
        self.hot = first_plan[0] if self.scale.hot_comments else None
        self.typical = first_plan[1 if len(first_plan) > 1 else 0]
        counts = self._comment_counts()
        self._rendered = {}

        chunk, planned = [], 0
        for commitment in self.commitments:
            n = counts.get(commitment.pk, 0)
            if n:
                chunk.append((commitment, n))
                planned += n
            if planned >= 20000:
                self._write_threads(Comment, chunk)
                chunk, planned = [], 0
        self._write_threads(Comment, chunk)

    def _comment_counts(self) -> dict[int, int]:
        scale = self.scale
        fixed = {self.typical.pk: min(scale.typical_comments, scale.comments)}
        if self.hot is not None:
            fixed[self.hot.pk] = scale.hot_comments
        rest = [c for c in self.commitments if c.pk not in fixed]
        remaining = max(scale.comments - sum(fixed.values()), 0)
        counts = dict(
            zip((c.pk for c in rest), spread(remaining, len(rest)), strict=True)
        )
        counts.update(fixed)

        return counts

    def _body(self, official: bool) -> tuple[str, str, str]:
        from community.services import fingerprint
        from ogp_tracker.markdown import render

        body = self.random.choice(OFFICIAL_SENTENCES if official else COMMENT_SENTENCES)
        if body not in self._rendered:
            self._rendered[body] = (render(body, subset="comment"), fingerprint(body))
        html, digest = self._rendered[body]

        return body, html, digest

    def _write_threads(self, Comment, chunk) -> None:
        """Write the comments of a few commitments, one reply depth at a time."""
        rnd = self.random
        max_depth = Comment.MAX_DEPTH
        levels: list[list] = [[] for _ in range(max_depth + 1)]
        for commitment, n in chunk:
            leads = self.relations[commitment.pk][0]
            created = at(commitment.start)
            step = (HISTORY_END - created) / (n + 1)
            nodes = []
            for index in range(n):
                parent = None
                if nodes and rnd.random() > 0.45:
                    parent = rnd.choice(nodes[-20:])
                    if parent["depth"] == max_depth:
                        parent = parent["parent"]
                official = parent is not None and rnd.random() < 0.1
                body, html, digest = self._body(official)
                author = (
                    self.editor_of[leads[0]] if official else rnd.choice(self.members)
                )
                node = {
                    "parent": parent,
                    "depth": 0 if parent is None else parent["depth"] + 1,
                    "obj": Comment(
                        commitment_id=commitment.pk,
                        depth=0 if parent is None else parent["depth"] + 1,
                        author=author,
                        official_institution_id=leads[0] if official else None,
                        body=body,
                        body_html=html,
                        body_hash=digest,
                        created_at=created + step * (index + 1),
                    ),
                }
                node["root"] = node if parent is None else parent["root"]
                roll = rnd.random()
                if roll < 0.02:
                    node["obj"].hidden_at = node["obj"].created_at + step / 2
                    node["obj"].hidden_reason = "Exemple fictif : message hors charte"
                    node["obj"].hidden_by = self.editors[0]
                elif roll < 0.03:
                    node["obj"].deleted_at = node["obj"].created_at + step / 2
                if official and node["obj"].hidden_at is None:
                    root = node["root"]["obj"]
                    root.answered_at = root.answered_at or node["obj"].created_at
                nodes.append(node)
                levels[node["depth"]].append(node)

        written = 0
        for depth_nodes in levels:
            for node in depth_nodes:
                if node["parent"] is not None:
                    node["obj"].parent_id = node["parent"]["obj"].pk
                    node["obj"].root_id = node["root"]["obj"].pk
            Comment.objects.bulk_create(
                [node["obj"] for node in depth_nodes], batch_size=BATCH
            )
            written += len(depth_nodes)
        self.count("comments", written)

    def make_follows(self) -> None:
        if not apps.is_installed("community"):
            return
        Follow = apps.get_model("community", "Follow")
        rnd = self.random
        follows = []
        for member in self.members[::2]:
            for commitment in rnd.sample(
                self.commitments, k=min(2, len(self.commitments))
            ):
                follows.append(Follow(user=member, commitment=commitment))
        Follow.objects.bulk_create(follows, batch_size=BATCH)
        self.count("follows", len(follows))

    # Workshops ----------------------------------------------------------------

    def make_workshops(self) -> None:
        if not apps.is_installed("workshops") or self.scale.workshops == 0:
            return
        Workshop = apps.get_model("workshops", "Workshop")
        Document = apps.get_model("workshops", "Document")
        rnd = self.random
        workshops = []
        for index in range(1, self.scale.workshops + 1):
            starts = HISTORY_END - datetime.timedelta(days=rnd.randint(-120, 700))
            status = "held" if starts < HISTORY_END else "planned"
            if rnd.random() < 0.05:
                status = "cancelled"
            if index == 1:
                # Linked to the featured commitments below: held, with a document.
                starts, status = HISTORY_END - datetime.timedelta(days=30), "held"
            online = rnd.random() < 0.4
            workshops.append(
                Workshop(
                    title=f"Exemple fictif – atelier n°{index}",
                    kind=rnd.choice(["workshop", "forum", "webinar", "public_meeting"]),
                    status=status,
                    cancellation_reason="Exemple fictif : salle indisponible."
                    if status == "cancelled"
                    else "",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=rnd.choice([2, 3, 7])),
                    place="" if online else f"Salle fictive {index}, 75000 Paris",
                    online_url=f"https://example.org/demo/visio/{index}"
                    if online
                    else "",
                    description="Atelier **fictif** de démonstration.",
                    minutes="Compte rendu fictif." if status == "held" else "",
                    attendees=rnd.randint(8, 120) if status == "held" else None,
                    is_published=True,
                )
            )
        workshops = Workshop.objects.bulk_create(workshops, batch_size=BATCH)

        organisers = Workshop.organisers.through
        linked = Workshop.commitments.through
        fed = Workshop.milestones.through
        organiser_rows, commitment_rows, milestone_rows = [], [], []
        by_commitment: dict[int, list] = {}
        for milestone in self.milestones:
            by_commitment.setdefault(milestone.commitment_id, []).append(milestone)
        for index, workshop in enumerate(workshops):
            organiser_rows.append(
                organisers(
                    workshop_id=workshop.pk,
                    institution_id=rnd.choice(self.institutions).pk,
                )
            )
            chosen = rnd.sample(self.commitments, k=min(2, len(self.commitments)))
            if index == 0:
                chosen = self.commitments[:2]
            for commitment in chosen:
                commitment_rows.append(
                    linked(workshop_id=workshop.pk, commitment_id=commitment.pk)
                )
                if by_commitment.get(commitment.pk):
                    milestone = rnd.choice(by_commitment[commitment.pk])
                    milestone_rows.append(
                        fed(workshop_id=workshop.pk, milestone_id=milestone.pk)
                    )
        organisers.objects.bulk_create(organiser_rows, batch_size=BATCH)
        linked.objects.bulk_create(commitment_rows, batch_size=BATCH)
        fed.objects.bulk_create(milestone_rows, batch_size=BATCH)

        documents = [
            Document(
                title=f"Exemple fictif – synthèse de l'atelier n°{index}",
                kind="synthesis",
                date=workshop.starts_at.date(),
                workshop=workshop,
                url=f"https://example.org/demo/documents/{index}.pdf",
            )
            for index, workshop in enumerate(workshops, start=1)
            if workshop.status == "held"
        ]
        Document.objects.bulk_create(documents, batch_size=BATCH)

        # One "created" history row each, so the changelog of a demo workshop
        # starts somewhere; their relations are not versioned here.
        for model, objects in ((Workshop, workshops), (Document, documents)):
            history = model.history.model
            history.objects.bulk_create(
                (
                    history(
                        **self._values(obj, history),
                        history_date=obj.created_at,
                        history_type="+",
                        history_change_reason="Exemple fictif : création",
                    )
                    for obj in objects
                ),
                batch_size=BATCH,
            )
        self.count("workshops", len(workshops))
        self.count("documents", len(documents))


def generate(scale: Scale, *, seed: int = 1, log=None) -> dict[str, int]:
    """Write one scale of fictional data and return the counts of rows written."""
    if demo_exists():
        raise CommandError(
            "Fictional plans are already in this database; generate into a fresh one."
        )

    return Generator(scale, seed=seed, log=log).run()


class Command(BaseCommand):
    help = (
        "Write clearly fictional plans, commitments, milestones, history, comments "
        "and workshops (all marked demo-) at a realistic or a stress scale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="realistic")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale: str, seed: int, verbosity: int, **options):
        started = time.monotonic()
        log = self.stdout.write if verbosity > 1 else None
        counts = generate(SCALES[scale], seed=seed, log=log)

        elapsed = time.monotonic() - started
        summary = " ".join(f"{name}={n}" for name, n in counts.items())
        logger.info(
            "fake data written scale=%s seconds=%.0f %s", scale, elapsed, summary
        )
        self.stdout.write(f"{scale} scale written in {elapsed:.0f} s: {summary}")
