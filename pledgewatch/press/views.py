"""Staff review pages: the queue, a submitted text with highlighted fields, and one proposal's decision.

Each page has its JSON twin (`?format=json`), built from the same context.
"""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pledgewatch.accounts.permissions import require as _require
from pledgewatch.ledger.models import Commitment
from pledgewatch.press import review
from pledgewatch.press.exceptions import PressError
from pledgewatch.press.forms import LinkForm, ProposalForm, RejectForm, SubmitForm
from pledgewatch.press.highlight import highlight
from pledgewatch.press.models import Proposal, Submission

# Who may do what in the queue (roles in pledgewatch/accounts/roles.py, table in docs/security.md):
# editors read the queue, submit texts and reject proposals; reviewers also accept and link (publish).
VIEW, SUBMIT, REJECT, PUBLISH = ("press.view_submission", "press.add_submission", "press.change_proposal",
                                 "accounts.publish_proposal")
ACTION_PERMISSION = {"accept": PUBLISH, "link": PUBLISH, "reject": REJECT}


def _json(request) -> bool:
    return request.GET.get("format") == "json"


def _proposal_json(p: Proposal) -> dict:
    return {"id": p.pk, "status": p.status, "fields": p.data, "pillar_reason": p.pillar_reason,
            "spans": [{"start": s, "end": e, "field": f} for s, e, f in p.spans],
            "commitment": p.commitment_id}


@staff_member_required
def queue(request):
    """List submitted texts; accept a new text (pasted or uploaded)."""
    _require(request, SUBMIT if request.method == "POST" else VIEW)
    form = SubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        raw = upload.read() if upload is not None else form.cleaned_data["text"]
        try:
            submission = review.submit(raw, filename=upload.name if upload else "", user=request.user)
        except PressError as exc:
            form.add_error(None, _("The text cannot be read: %(reason)s") % {"reason": exc})
        else:
            messages.success(request, _("%(count)d commitments proposed.") % {"count": submission.proposals.count()})
            return redirect("review:submission", pk=submission.pk)
    submissions = Submission.objects.select_related("text").prefetch_related("proposals")[:100]
    if _json(request):
        return JsonResponse({"submissions": [
            {"id": s.pk, "title": str(s), "language": s.language, "submitted_at": s.submitted_at.isoformat(),
             "proposals": s.proposals.count(), "pending": s.pending} for s in submissions]},
            json_dumps_params={"ensure_ascii": False})
    return render(request, "press/queue.html", {"form": form, "submissions": submissions})


@staff_member_required
def submission(request, pk: int):
    """Show a submitted text with every proposed field highlighted, and its proposals."""
    _require(request, VIEW)
    sub = get_object_or_404(Submission.objects.select_related("text"), pk=pk)
    proposals = list(sub.proposals.all())
    spans = [tuple(s) for p in proposals for s in p.spans]
    if _json(request):
        return JsonResponse({"id": sub.pk, "language": sub.language, "text": sub.text.text, **sub.result,
                             "proposals": [_proposal_json(p) for p in proposals]},
                            json_dumps_params={"ensure_ascii": False})
    return render(request, "press/submission.html",
                  {"submission": sub, "proposals": proposals, "html": highlight(sub.text.text, spans)})


def _initial(p: Proposal) -> dict:
    flat, _changes = review.merged_fields(p, None)
    return {**flat, "recipients": ", ".join(flat["recipients"]), "amount": flat["amount"]}


@staff_member_required
def proposal(request, pk: int):
    """Review one proposal: its highlighted evidence, likely duplicates; accept, edit, reject or link."""
    _require(request, VIEW)
    if request.method == "POST":
        _require(request, ACTION_PERMISSION.get(request.POST.get("action"), PUBLISH))
    p = get_object_or_404(Proposal.objects.select_related("submission__text"), pk=pk)
    form, reject_form, link_form = ProposalForm(initial=_initial(p)), RejectForm(), LinkForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                form = ProposalForm(request.POST)
                if form.is_valid():
                    commitment = review.accept(p, request.user, edits=form.edits())
                    messages.success(request, _("Commitment #%(id)d created.") % {"id": commitment.pk})
                    return redirect("review:submission", pk=p.submission_id)
            elif action == "reject":
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    review.reject(p, request.user, reason=reject_form.cleaned_data["reason"])
                    messages.success(request, _("Proposal rejected."))
                    return redirect("review:submission", pk=p.submission_id)
            elif action == "link":
                link_form = LinkForm(request.POST)
                if link_form.is_valid():
                    commitment = review.link(p, request.user, commitment_id=link_form.cleaned_data["commitment"])
                    messages.success(request, _("Linked as a further source of commitment #%(id)d.") % {
                        "id": commitment.pk})
                    return redirect("review:submission", pk=p.submission_id)
        except PressError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:  # edited fields the ledger refuses
            messages.error(request, "; ".join(exc.messages))
    matches = review.duplicates(p) if p.status == Proposal.Status.PENDING else []
    if _json(request):
        return JsonResponse({**_proposal_json(p), "duplicates": [
            {"commitment": m.commitment_id, "score": m.score, "certain": m.certain, "reasons": m.reasons}
            for m in matches], "decisions": [
            {"action": d.action, "reviewer": d.reviewer.get_username(), "reason": d.reason,
             "decided_at": d.decided_at.isoformat(), "commitment": d.commitment_id} for d in p.decisions.all()]},
            json_dumps_params={"ensure_ascii": False})
    existing = {c.pk: c for c in Commitment.objects.filter(pk__in=[m.commitment_id for m in matches])}
    return render(request, "press/proposal.html", {
        "proposal": p, "form": form, "reject_form": reject_form, "link_form": link_form,
        "duplicates": [(m, existing.get(m.commitment_id)) for m in matches],
        "html": highlight(p.submission.text.text, [tuple(s) for s in p.spans]),
        "decisions": p.decisions.select_related("reviewer")})
