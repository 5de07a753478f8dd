"""Tenant UI: ordered sequences, read-only. The newest sequences with their progress, and one sequence with each
part's status and message; started through the API (`POST /api/v1/sequences`)."""

from django.shortcuts import get_object_or_404, render

from messaging import selectors
from tenants.decorators import permission_required

RECENT_SEQUENCES = 100


@permission_required("logs.view")
def sequence_list(request):
    """The newest sequences, each with how many of its parts were delivered."""
    sequences = list(selectors.sequences_with_progress()[:RECENT_SEQUENCES])
    return render(request, "messaging/sequences/list.html", {"sequences": sequences, "limit": RECENT_SEQUENCES})


@permission_required("logs.view")
def sequence_detail(request, sequence_uuid):
    """One sequence and its parts in order; another tenant's sequence is not found (it lives in another schema)."""
    sequence = get_object_or_404(selectors.sequences(), uuid=sequence_uuid)
    return render(request, "messaging/sequences/detail.html", {"sequence": sequence})
