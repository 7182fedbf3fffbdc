"""The mirrored records: Teamleader's JSON in ``data``, plus a few indexed columns.

Every model keeps the record exactly as Teamleader's ``*.list`` sent it in ``data`` (so a
new Teamleader field needs no migration) and copies the fields people filter and sort on
into columns. ``.record`` is the client's typed model over ``data``, and the commonest of
its properties are on the Django model too (``contact.full_name``, ``deal.is_won``).

Foreign keys between mirrored tables (a deal's phase, pipeline and responsible user) are
declared without database constraints: Teamleader decides what exists, and a deal may
arrive before its phase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from teamleader import models as tl

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

__all__ = [
    "Company",
    "Contact",
    "Deal",
    "DealPhase",
    "DealPipeline",
    "MirroredModel",
    "Party",
    "RecordField",
    "User",
]


def _from_record(name: str, doc: str) -> property:
    """A read-only property answered by the client's typed model (``self.record``)."""
    return property(lambda self: getattr(self.record, name), doc=doc)


class RecordField(models.JSONField):
    """A ``JSONField`` for whole Teamleader records, bulk-inserted as plain ``VALUES`` rows.

    On PostgreSQL, Django bulk-inserts through ``UNNEST`` of one array per column unless a
    field declares its own placeholder; psycopg then quotes every record's JSON text into an
    array literal, which costs more than the planning time ``UNNEST`` saves. Declaring the
    default placeholder keeps the ordinary path; nothing else changes. Django 6.1 asks
    ``get_placeholder_sql``, earlier versions ``get_placeholder``: both are here.
    """

    def get_placeholder_sql(self, value: Any, compiler: Any, connection: Any) -> tuple[str, Any]:
        if hasattr(value, "as_sql"):
            return compiler.compile(value)
        return "%s", (value,)

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        return "%s"


def _related(model: type[models.Model] | str, related_name: str, verbose_name: StrOrPromise) -> Any:
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class MirroredModel(models.Model):
    """What every mirrored record has: Teamleader's id, its JSON and when it was copied."""

    id = models.UUIDField(_("Teamleader ID"), primary_key=True, editable=False)
    data = RecordField(
        _("Teamleader data"), default=dict, help_text=_("The record exactly as Teamleader sent it.")
    )
    synced_at = models.DateTimeField(_("synced at"), db_index=True)

    #: The client's model class that ``record`` wraps ``data`` in.
    record_class: ClassVar[type[tl.Model]] = tl.Model

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.record._label() or self.id)

    @property
    def record(self) -> Any:
        """``data`` as the client's typed model (``teamleader.models.Contact`` etc.)."""
        return self.record_class(self.data)


class User(MirroredModel):
    """A Teamleader user (``users.list``), e.g. a deal's responsible user."""

    first_name = models.CharField(_("first name"), max_length=255, blank=True)
    last_name = models.CharField(_("last name"), max_length=255, blank=True)
    email = models.CharField(_("email"), max_length=254, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, blank=True, db_index=True)

    record_class = tl.User
    full_name = _from_record("full_name", "First and last name.")

    class Meta:
        ordering = ["first_name", "last_name"]
        verbose_name = _("Teamleader user")
        verbose_name_plural = _("Teamleader users")


class DealPipeline(MirroredModel):
    """A sales pipeline (``dealPipelines.list``)."""

    name = models.CharField(_("name"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("deal pipeline")
        verbose_name_plural = _("deal pipelines")


class DealPhase(MirroredModel):
    """A phase a deal goes through (``dealPhases.list``); ``position`` keeps Teamleader's order."""

    name = models.CharField(_("name"), max_length=255, blank=True)
    probability = models.DecimalField(_("probability"), max_digits=5, decimal_places=4, null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("deal phase")
        verbose_name_plural = _("deal phases")


class Party(MirroredModel):
    """What contacts and companies share: a primary email, a status, dates, and deals."""

    email = models.CharField(_("primary email"), max_length=254, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, blank=True, db_index=True, help_text=_("active or deactivated")
    )
    added_at = models.DateTimeField(_("added at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True, db_index=True)

    primary_email = _from_record("primary_email", "The primary email address, else None.")
    #: ``lead.customer.type`` of this party's deals.
    customer_type: ClassVar[str] = ""

    class Meta:
        abstract = True

    @property
    def deals(self) -> models.QuerySet[Deal]:
        """The mirrored deals whose customer is this contact or company."""
        return Deal.objects.filter(customer_type=self.customer_type, customer_id=self.id)


class Company(Party):
    """An organisation (``companies.list``)."""

    name = models.CharField(_("name"), max_length=255, blank=True, db_index=True)
    vat_number = models.CharField(_("VAT number"), max_length=64, blank=True, db_index=True)

    record_class = tl.Company
    customer_type = "company"

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")


class Contact(Party):
    """A person (``contacts.list``)."""

    first_name = models.CharField(_("first name"), max_length=255, blank=True)
    last_name = models.CharField(_("last name"), max_length=255, blank=True)

    record_class = tl.Contact
    customer_type = "contact"
    full_name = _from_record("full_name", "First and last name; the last name alone without a first.")

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["last_name", "first_name"], name="tl_mirror_contact_name")]


class Deal(MirroredModel):
    """A sales opportunity (``deals.list``)."""

    title = models.CharField(_("title"), max_length=255, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=20, blank=True, db_index=True, help_text=_("new, open, won or lost")
    )
    phase = _related(DealPhase, "deals", _("phase"))
    pipeline = _related(DealPipeline, "deals", _("pipeline"))
    responsible_user = _related(User, "deals", _("responsible user"))
    customer_type = models.CharField(
        _("customer type"), max_length=20, blank=True, help_text=_("contact or company")
    )
    customer_id = models.UUIDField(_("customer ID"), null=True, blank=True, db_index=True)
    amount = models.DecimalField(_("estimated value"), max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    estimated_closing_date = models.DateField(_("estimated closing date"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True, db_index=True)

    record_class = tl.Deal
    is_won = _from_record("is_won", "Whether the deal is won.")
    is_lost = _from_record("is_lost", "Whether the deal is lost.")
    is_open = _from_record("is_open", "Whether the deal is new or open.")
    estimated_value = _from_record("estimated_value", "The estimated value as a Money, else None.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")

    @property
    def customer(self) -> Contact | Company | None:
        """The mirrored contact or company the deal is for, if it is in the mirror."""
        if self.customer_id is None:
            return None
        if self.customer_type == "contact":
            return Contact.objects.filter(pk=self.customer_id).first()
        if self.customer_type == "company":
            return Company.objects.filter(pk=self.customer_id).first()
        return None
