"""The event types a webhook can subscribe to (the enum of ``webhooks.register`` in spec 1.112.0).

Shared by the Django webhook command and the sandbox; a test compares it with the spec.
"""

from __future__ import annotations

__all__ = ["WEBHOOK_TYPES"]

WEBHOOK_TYPES: tuple[str, ...] = (
    "account.deactivated", "account.deleted",
    "call.added", "call.completed", "call.deleted", "call.updated",
    "company.added", "company.deleted", "company.updated",
    "contact.added", "contact.deleted", "contact.linkedToCompany", "contact.unlinkedFromCompany",
    "contact.updatedLinkToCompany", "contact.updated",
    "creditNote.booked", "creditNote.deleted", "creditNote.peppolSubmissionFailed",
    "creditNote.peppolSubmissionSucceeded", "creditNote.sent", "creditNote.updated",
    "deal.created", "deal.deleted", "deal.lost", "deal.moved", "deal.updated", "deal.won",
    "incomingCreditNote.added", "incomingCreditNote.approved",
    "incomingCreditNote.bookkeepingSubmissionFailed",
    "incomingCreditNote.bookkeepingSubmissionSucceeded", "incomingCreditNote.deleted",
    "incomingCreditNote.refused", "incomingCreditNote.updated",
    "incomingInvoice.added", "incomingInvoice.approved", "incomingInvoice.bookkeepingSubmissionFailed",
    "incomingInvoice.bookkeepingSubmissionSucceeded", "incomingInvoice.deleted",
    "incomingInvoice.refused", "incomingInvoice.updated",
    "invoice.booked", "invoice.deleted", "invoice.drafted", "invoice.paymentRegistered",
    "invoice.paymentRemoved", "invoice.peppolSubmissionFailed", "invoice.peppolSubmissionSucceeded",
    "invoice.sent", "invoice.updated",
    "meeting.created", "meeting.completed", "meeting.deleted", "meeting.updated",
    "milestone.created", "milestone.updated",
    "nextgenProject.created", "nextgenProject.updated", "nextgenProject.closed",
    "nextgenProject.deleted",
    "nextgenTask.completed", "nextgenTask.created", "nextgenTask.deleted", "nextgenTask.updated",
    "product.added", "product.updated", "product.deleted",
    "project.created", "project.deleted", "project.updated",
    "receipt.added", "receipt.approved", "receipt.bookkeepingSubmissionFailed",
    "receipt.bookkeepingSubmissionSucceeded", "receipt.deleted", "receipt.refused", "receipt.updated",
    "subscription.added", "subscription.deactivated", "subscription.deleted", "subscription.updated",
    "task.completed", "task.created", "task.deleted", "task.updated",
    "ticket.closed", "ticket.created", "ticket.deleted", "ticket.reopened", "ticket.updated",
    "ticketMessage.added",
    "timeTracking.added", "timeTracking.deleted", "timeTracking.updated",
    "user.deactivated",
)
