"""Landscape for tests: services with their workforce, activity and waits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from msknet.landscape.models import Service, ServiceActivity, ServiceWorkforce, Step
from msknet.members.models import ICB, Network, Organisation, OrganisationType


def provider(network: Network, *, name: str = "", icb: ICB | None = None,
             type: str = OrganisationType.NHS_TRUST) -> Organisation:
    """An organisation in one of the network's ICBs (any ICB if it has none)."""
    icb = icb or network.icbs.order_by("ods_code").first() or ICB.objects.first()
    organisation, _ = Organisation.objects.get_or_create(
        name=name or f"{network.slug.title()} MSK Community Trust", type=type,
        defaults={"icb": icb},
    )
    return organisation


def service(network: Network, *, name: str = "Community MSK physiotherapy",
            provider_org: Organisation | None = None, step: str = Step.COMMUNITY_MSK,
            icb: ICB | None = None, by: Any = None, **fields: Any) -> Service:
    """An active service, confirmed today unless `last_confirmed_on` says otherwise."""
    provider_org = provider_org or provider(network)
    defaults: dict[str, Any] = {
        "description": f"{name}: a synthetic service for tests.",
        "conditions": "Back pain; Neck pain; Knee pain",
        "self_referral": True, "gp_referral": True, "via_ers": True,
        "postcode": "NE1 4LP", "opening": "Monday to Friday, 8am to 6pm",
        "last_confirmed_on": dt.date.today(),
    }
    defaults.update(fields)
    return Service.objects.create(
        network=network, name=name, provider=provider_org,
        icb=icb or provider_org.icb, step=step, created_by=by, updated_by=by,
        **defaults,
    )


def activity(service: Service, *, month: dt.date, referrals: float = 120,
             median: float = 6, p90: float = 14) -> ServiceActivity:
    """A month's referrals and waits."""
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return ServiceActivity.objects.create(
        service=service, period_start=month, period_end=end,
        referrals_per_month=Decimal(str(referrals)), median_wait_weeks=Decimal(str(median)),
        p90_wait_weeks=Decimal(str(p90)),
    )


def workforce(service: Service, *, as_of: dt.date, profession: str = "physiotherapist",
              wte: float = 8.5, vacancies: float = 1.0) -> ServiceWorkforce:
    return ServiceWorkforce.objects.create(
        service=service, as_of=as_of, profession=profession,
        wte=Decimal(str(wte)), vacancies_wte=Decimal(str(vacancies)),
    )


def confirmation_token(service: Service, to: Any, *, token: str = "",
                       days: int = 30) -> str:
    """An emailed confirmation link's token for `service`, sent to `to`."""
    from django.utils import timezone

    from msknet.landscape.actions.confirmation import hash_token
    from msknet.landscape.models import ConfirmationRequest

    token = token or f"matrix-confirm-{service.network.slug}-{service.pk}"
    ConfirmationRequest.objects.create(
        service=service, sent_to=to, token_hash=hash_token(token),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return token


def landscape_objects(network: Network, users: dict[str, Any]) -> dict[str, Any]:
    """For the role matrix: a confirmed service and a stale one, with figures."""
    icb = network.icbs.order_by("ods_code").first() or ICB.objects.first()
    trust = provider(network, name=f"Matrix MSK trust ({network.slug})", icb=icb)
    current = service(network, name="Matrix community MSK", provider_org=trust)
    stale = service(network, name="Matrix pain management", provider_org=trust,
                    step=Step.PAIN_MANAGEMENT,
                    last_confirmed_on=dt.date.today() - dt.timedelta(days=400))
    month = dt.date.today().replace(day=1)
    figures = activity(current, month=month)
    staff = workforce(current, as_of=month)
    return {
        "service": current.pk,
        "service-stale": stale.pk,
        "service-activity": figures.pk,
        "service-workforce": staff.pk,
        "service-provider": trust.pk,
        "service-icb": icb.ods_code,
        "service-confirm-token": confirmation_token(stale, users["member"]),
    }
