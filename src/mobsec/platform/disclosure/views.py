"""Pages of disclosure: public advisories (list, page, downloads, Atom feed, the CSAF
distribution under /.well-known/csaf/), rewards and ratings (public), the desk where
coordinators draft, review and publish, and the regulator's statistics."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from mobsec.advisories import AdvisoryError, NoEcosystem
from mobsec.advisories.cwe import cwe_name
from mobsec.advisories.ids import csaf_filename
from mobsec.advisories.provider import Entry, changes_csv, index_txt, provider_metadata
from mobsec.platform.accounts import access as accounts_access
from mobsec.platform.core.errors import UserError
from mobsec.platform.vulns import access as vulns_access
from mobsec.platform.vulns import guards
from mobsec.report.render import RenderError

from . import actions, conf, documents, ratings, rewards, statistics
from . import feed as feed_entries
from .access import can_see_statistics
from .models import Advisory, FeaturedCase

FEED_SIZE = 50


def _lang() -> str:
    return "zh-CN" if (translation.get_language() or "").startswith("zh") else "en"


def _published():
    return Advisory.objects.filter(status=Advisory.Status.PUBLISHED).select_related("vulnerability")


def _advisory(advisory_id: str) -> Advisory:
    return get_object_or_404(_published(), advisory_id=advisory_id[:40])


def _year(request) -> int | None:
    raw = (request.GET.get("year") or "").strip()
    if raw == "all":
        return None
    try:
        year = int(raw) if raw else timezone.now().year
    except ValueError:
        year = timezone.now().year
    return year if 1999 <= year <= 9999 else timezone.now().year


# --------------------------------------------------------------------------- public advisories


@require_GET
def advisory_list(request):
    rows = list(_published()[:500])
    return render(request, "disclosure/advisories.html", {"rows": rows, "lang": _lang()})


@require_GET
def advisory_page(request, advisory_id: str):
    a = _advisory(advisory_id)
    lang = _lang()
    base = conf.public_url(request)
    lib = documents.to_advisory(a, base)
    return render(request, "disclosure/advisory.html", {
        "a": a, "lang": lang, "lib": lib, "formats": documents.available_formats(a),
        "v31": lib.score_v31(), "v40": lib.score_v40(), "cwe_name": cwe_name(a.cwe) if a.cwe else "",
        "revisions": a.revisions.all(),
        "title": a.text("title", lang), "description": a.text("description", lang),
        "impact": a.text("impact", lang), "solution": a.text("solution", lang),
        "mitigation": a.text("mitigation", lang),
    })  # fmt: skip


def _json(doc: dict, filename: str) -> HttpResponse:
    body = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def advisory_download(request, advisory_id: str, fmt: str):
    a = _advisory(advisory_id)
    if fmt not in documents.available_formats(a):
        raise Http404("no such format for this advisory")
    try:
        doc = documents.render(a, fmt, conf.public_url(request))
    except (AdvisoryError, NoEcosystem, LookupError) as e:
        raise Http404(str(e)) from None
    stem = csaf_filename(a.advisory_id).removesuffix(".json")
    return _json(doc, f"{stem}.{fmt}.json")


@require_GET
def feed(request):
    """Published advisories and what other apps registered (incidents' public bulletins,
    ``feed.py``), newest first."""
    base = conf.public_url(request)
    lang = _lang()
    f = Atom1Feed(
        title="mobsec advisories and incident bulletins / 漏洞公告与应急公告",
        link=base + reverse("disclosure:advisories"),
        description="Published vulnerability advisories (CSAF 2.0, OSV, CVE JSON 5) and "
        "incident bulletins",
        language=lang,
        feed_url=base + reverse("disclosure:feed"),
    )
    items = [(a.published_at, a) for a in _published().order_by("-published_at")[:FEED_SIZE]]
    items += [(e.published, e) for e in feed_entries.entries(base, lang, FEED_SIZE)]
    items.sort(key=lambda x: x[0], reverse=True)
    for _, item in items[:FEED_SIZE]:
        entry = (
            item if isinstance(item, feed_entries.FeedEntry) else _advisory_entry(item, base, lang)
        )
        enclosures = [] if item is entry else _enclosures(item, base)
        x = feed_entries.xml_text
        f.add_item(
            title=x(entry.title),
            link=entry.link,
            description=x(entry.description),
            unique_id=entry.link,
            pubdate=entry.published,
            updateddate=entry.updated,
            enclosures=enclosures,
        )
    return HttpResponse(f.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


def _advisory_entry(a: Advisory, base: str, lang: str) -> feed_entries.FeedEntry:
    link = base + reverse("disclosure:advisory", args=[a.advisory_id])
    return feed_entries.FeedEntry(
        title=f"{a.advisory_id}: {a.text('title', lang)}",
        link=link,
        description=a.text("description", lang),
        published=a.published_at,
        updated=a.updated_at or a.published_at,
    )


def _enclosures(a: Advisory, base: str) -> list[Enclosure]:
    out = []
    for fmt in documents.available_formats(a):
        try:
            size = len(json.dumps(documents.render(a, fmt, base), ensure_ascii=False).encode())
        except (AdvisoryError, NoEcosystem, LookupError):
            continue
        url = base + reverse("disclosure:advisory-download", args=[a.advisory_id, fmt])
        out.append(Enclosure(url, str(size), "application/json"))
    return out


# ------------------------------------------------------------------- CSAF distribution (well-known)


def _entries() -> list[Entry]:
    return [Entry(a.advisory_id, a.published_at, a.updated_at or a.published_at)
            for a in _published()]  # fmt: skip


@require_GET
def provider_metadata_json(request):
    latest = _published().order_by("-updated_at").values_list("updated_at", flat=True).first()
    meta = provider_metadata(
        conf.publisher_for(conf.public_url(request)),
        conf.public_url(request),
        latest or datetime(2000, 1, 1, tzinfo=UTC),
    )
    return JsonResponse(meta, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_GET
def csaf_index(request):
    return HttpResponse(index_txt(_entries()), content_type="text/plain; charset=utf-8")


@require_GET
def csaf_changes(request):
    return HttpResponse(changes_csv(_entries()), content_type="text/csv; charset=utf-8")


@require_GET
def csaf_document(request, year: int, name: str):
    for a in _published().filter(year=year):
        if csaf_filename(a.advisory_id) == name:
            doc = documents.render(a, "csaf", conf.public_url(request))
            return JsonResponse(doc, json_dumps_params={"ensure_ascii": False, "indent": 2})
    raise Http404("no such CSAF document")


# --------------------------------------------------------------------------- rewards and ratings


@require_GET
def leaderboard(request):
    year = _year(request)
    return render(request, "disclosure/leaderboard.html", {
        "rows": rewards.leaderboard(year), "year": year,
        "years": _years(), "points": conf.points_table(), "qualities": conf.QUALITIES,
    })  # fmt: skip


@require_GET
def hall_of_fame(request):
    return render(request, "disclosure/hall_of_fame.html", {"rows": rewards.hall_of_fame()})


@require_GET
def reporter_profile(request, user_id: str):
    profile = rewards.public_profile(user_id[:40])
    if profile is None:
        raise Http404("no public profile")
    return render(request, "disclosure/reporter.html", {**profile, "lang": _lang()})


@login_required
def my_rewards(request):
    return render(request, "disclosure/profile.html", {**rewards.profile(request.user.pk),
                                                       "lang": _lang()})  # fmt: skip


def _years() -> list[int]:
    now = timezone.now().year
    return list(range(now, now - 6, -1))


@require_GET
def support_units(request):
    year = _year(request) or timezone.now().year
    return render(request, "disclosure/ratings.html", {
        "rows": ratings.rate_units(year), "year": year, "years": _years(),
        "formula": conf.rating_formula(),
    })  # fmt: skip


@require_GET
def best_cases(request):
    year = _year(request) or timezone.now().year
    cases = FeaturedCase.objects.filter(year=year).select_related("advisory")
    return render(request, "disclosure/best_cases.html", {
        "cases": cases, "year": year, "years": _years(), "lang": _lang(),
    })  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def featured_edit(request):
    if not accounts_access.is_platform_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            a = _published().filter(advisory_id=request.POST.get("advisory", "")[:40]).first()
            if a is None:
                raise UserError("disclosure.no_advisory", "No such published advisory.",
                                "没有该已发布的公告。")  # fmt: skip
            year, rank = int(request.POST.get("year", "0")), int(request.POST.get("rank", "0"))
            actions.feature(request.user, year, rank, a, request.POST.get("note_en", ""),
                            request.POST.get("note_zh", ""))  # fmt: skip
            return redirect(f"{reverse('disclosure:best-cases')}?year={year}")
        except ValueError:
            messages.error(request, UserError("x", "Year and rank are numbers.",
                                              "年份和名次须为数字。").message)  # fmt: skip
        except UserError as e:
            messages.error(request, e.message)
    return render(request, "disclosure/featured_edit.html", {
        "advisories": _published()[:200], "year": timezone.now().year,
    })  # fmt: skip


# ------------------------------------------------------------------------------------- the desk


def _desk_user(request) -> None:
    if not vulns_access.is_coordinator(request.user):
        raise PermissionDenied


@login_required
def desk(request):
    _desk_user(request)
    cases = (
        vulns_access.visible(request.user)
        .filter(state__in=[*guards.PUBLISHABLE_FROM, "disclosed"])
        .select_related("vendor")
        .order_by("-received_at")[:200]
    )
    drafts = {a.vulnerability_id: a for a in Advisory.objects.filter(vulnerability__in=cases)}
    rows = [{"vuln": v, "advisory": drafts.get(v.pk)} for v in cases]
    return render(request, "disclosure/desk.html", {"rows": rows})


def _form_data(post) -> dict[str, str]:
    keys = [f"{n}_{lang}" for n in actions.TEXT_FIELDS for lang in ("en", "zh")]
    return {k: post.get(k, "") for k in [*keys, *actions.PLAIN_FIELDS] if k in post}


@login_required
@require_http_methods(["GET", "POST"])
def desk_case(request, vuln_id: str):
    _desk_user(request)
    vuln = get_object_or_404(vulns_access.visible(request.user), public_id=vuln_id[:40])
    a = Advisory.objects.filter(vulnerability=vuln).first()
    base = conf.public_url(request)
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "draft":
                a = actions.draft(vuln, request.user)
            elif step == "quality":
                actions.set_quality(vuln, request.user, request.POST.get("quality", ""))
            elif a is None:
                raise UserError(
                    "disclosure.no_draft", "Draft the advisory first.", "请先起草公告。"
                )
            elif step == "save":
                actions.update(a, request.user, _form_data(request.POST))
            elif step == "review":
                actions.review(a, request.user, base)
            elif step == "publish":
                a = actions.publish(a, request.user, base, request=request)
                messages.success(request, f"{gettext('Published')} {a.advisory_id}")
            elif step == "revise":
                actions.revise(a, request.user, _form_data(request.POST),
                               request.POST.get("summary", ""), base)  # fmt: skip
            return redirect("disclosure:desk-case", vuln.public_id)
        except guards.GuardError as e:
            for r in e.reasons:
                messages.error(request, f"{r.en if _lang() == 'en' else r.zh} ({r.source})")
        except UserError as e:
            if e.status == 403:
                raise PermissionDenied(e.message) from None
            messages.error(request, e.message)
    blockers = guards.publication_blockers(vuln, timezone.now()) if vuln.embargoed else []
    quality = getattr(getattr(vuln, "report_quality", None), "quality", conf.DEFAULT_QUALITY)
    return render(request, "disclosure/desk_case.html", {
        "vuln": vuln, "a": a, "blockers": blockers, "lang": _lang(), "qualities": conf.QUALITIES,
        "quality": quality, "text_fields": actions.TEXT_FIELDS,
        "points": rewards.points_for(vuln.severity, quality),
    })  # fmt: skip


# ------------------------------------------------------------------------------- statistics


def _statistics_user(request) -> None:
    if not can_see_statistics(request.user):
        raise PermissionDenied


@login_required
def statistics_page(request):
    _statistics_user(request)
    year = _year(request)
    return render(request, "disclosure/statistics.html", {
        "s": statistics.for_display(statistics.compute(timezone.now(), year)), "year": year,
        "years": _years(),
    })  # fmt: skip


@login_required
def statistics_export(request, fmt: str):
    _statistics_user(request)
    year = _year(request)
    stats = statistics.compute(timezone.now(), year)
    name = f"vulnerability-statistics-{year or 'all'}"
    if fmt == "csv":
        response = HttpResponse(statistics.to_csv(stats), content_type="text/csv; charset=utf-8")
    elif fmt == "pdf":
        try:
            pdf = statistics.to_pdf(stats, _lang())
        except RenderError as e:
            return HttpResponse(str(e), status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(pdf, content_type="application/pdf")
    else:
        raise Http404("csv or pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
