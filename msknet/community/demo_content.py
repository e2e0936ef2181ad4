"""What the demo's resource library holds: real public guidance, as links.

NICE guidelines, national pathways and patient information are real and
linked to their publishers' pages (nothing is downloaded). Case studies and
local templates are synthetic and say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ResourceText:
    title: str
    summary: str
    kind: str
    url: str
    publisher: str
    published_on: date | None
    topics: tuple[str, ...]
    audiences: tuple[str, ...]
    public: bool = True


SPINAL = "spinal-services"
PRIMARY = "primary-community-msk"
LONG_TERM = "long-term-conditions"
PAIN = "persistent-pain-opioids"
FALLS = "falls-fracture-prevention"
INEQUALITIES = "inequalities-coproduction"
WORKFORCE = "workforce"
WORK = "work-and-health"
COMMUNICATIONS = "communications-networks"
CLIN, COMM, LIVED = "clinicians", "commissioners", "lived_experience"
PH, PC, EMP = "public_health", "personalised_care", "employers"
SYNTHETIC = " Synthetic demo case study: the service and figures are invented."


def nice(code: str) -> str:
    return f"https://www.nice.org.uk/guidance/{code.lower()}"


RESOURCES = (
    ResourceText(
        "Low back pain and sciatica in over 16s: assessment and management (NG59)",
        "NICE guideline on assessing and managing low back pain and sciatica: risk "
        "stratification, self-management, exercise, psychological therapies, "
        "medicines and when to consider spinal injections or surgery.",
        "guidance", nice("NG59"), "NICE", date(2016, 11, 30), (SPINAL, PRIMARY),
        (CLIN, COMM),
    ),
    ResourceText(
        "Chronic pain (primary and secondary) in over 16s (NG193)",
        "NICE guideline on assessing all chronic pain and managing chronic primary "
        "pain: exercise programmes, psychological therapy and acupuncture; and "
        "which medicines should not be started.",
        "guidance", nice("NG193"), "NICE", date(2021, 4, 7), (PAIN, LONG_TERM),
        (CLIN, COMM, LIVED),
    ),
    ResourceText(
        "Osteoarthritis in over 16s: diagnosis and management (NG226)",
        "NICE guideline covering diagnosis without imaging, therapeutic exercise "
        "and weight management as core treatments, and referral for joint "
        "replacement.",
        "guidance", nice("NG226"), "NICE", date(2022, 10, 19), (LONG_TERM, PRIMARY),
        (CLIN, COMM),
    ),
    ResourceText(
        "Low back pain (QS155)",
        "NICE quality standard: risk stratification tools, no routine imaging in "
        "non-specialist settings, exercise programmes and combined physical and "
        "psychological programmes.",
        "guidance", nice("QS155"), "NICE", date(2017, 7, 6), (SPINAL,), (CLIN, COMM),
    ),
    ResourceText(
        "Rheumatoid arthritis in adults: management (NG100)",
        "NICE guideline on referral, diagnosis, treat-to-target care and "
        "monitoring for adults with rheumatoid arthritis.",
        "guidance", nice("NG100"), "NICE", date(2018, 7, 11), (LONG_TERM,), (CLIN,),
    ),
    ResourceText(
        "Spondyloarthritis in over 16s: diagnosis and management (NG65)",
        "NICE guideline on recognising and referring suspected spondyloarthritis, "
        "including axial spondyloarthritis in people with low back pain.",
        "guidance", nice("NG65"), "NICE", date(2017, 2, 28), (SPINAL, LONG_TERM),
        (CLIN,),
    ),
    ResourceText(
        "Medicines associated with dependence or withdrawal symptoms (NG215)",
        "NICE guideline on safe prescribing and withdrawal management for "
        "opioids, gabapentinoids, benzodiazepines, Z-drugs and antidepressants.",
        "guidance", nice("NG215"), "NICE", date(2022, 4, 20), (PAIN,), (CLIN, COMM),
    ),
    ResourceText(
        "Shared decision making (NG197)",
        "NICE guideline on making shared decision making part of everyday care, "
        "with decision aids and training for staff.",
        "guidance", nice("NG197"), "NICE", date(2021, 6, 17),
        (LONG_TERM, INEQUALITIES), (CLIN, COMM, LIVED),
    ),
    ResourceText(
        "Joint replacement (primary): hip, knee and shoulder (NG157)",
        "NICE guideline on care before, during and after primary hip, knee and "
        "shoulder replacement, including rehabilitation.",
        "guidance", nice("NG157"), "NICE", date(2020, 6, 4), (LONG_TERM,), (CLIN,),
    ),
    ResourceText(
        "Osteoporosis: assessing the risk of fragility fracture (CG146)",
        "NICE guideline on who to assess for fracture risk and which tools to "
        "use (FRAX, QFracture).",
        "guidance", nice("CG146"), "NICE", date(2012, 8, 8), (FALLS,), (CLIN, PH),
    ),
    ResourceText(
        "Medicines optimisation (NG5)",
        "NICE guideline on safe and effective use of medicines, including "
        "structured medication reviews.",
        "guidance", nice("NG5"), "NICE", date(2015, 3, 4), (PAIN,), (CLIN, COMM),
    ),
    ResourceText(
        "Best MSK Health collaborative",
        "NHS England's programme for musculoskeletal services: the workstreams "
        "networks organise around, and the resources they share.",
        "pathway", "https://www.england.nhs.uk/elective-care/best-msk-health/",
        "NHS England", None, (PRIMARY, SPINAL, COMMUNICATIONS),
        (CLIN, COMM),
    ),
    ResourceText(
        "National Back Pain and Radicular Pain Pathway",
        "The national pathway for people with back pain and radicular pain, from "
        "first contact to specialist spinal care, from the Getting It Right "
        "First Time programme.",
        "pathway", "https://gettingitrightfirsttime.co.uk/", "GIRFT", None,
        (SPINAL, PRIMARY), (CLIN, COMM),
    ),
    ResourceText(
        "Musculoskeletal health: applying All Our Health",
        "Guidance for health and care professionals on preventing MSK conditions "
        "and promoting MSK health in everyday practice.",
        "guidance",
        "https://www.gov.uk/government/publications/"
        "musculoskeletal-health-applying-all-our-health",
        "Office for Health Improvement and Disparities", None,
        (PRIMARY, INEQUALITIES), (CLIN, PH),
    ),
    ResourceText(
        "Musculoskeletal health profile (Fingertips)",
        "Published indicators on MSK conditions, pain, physical activity and "
        "work by local authority and ICB.",
        "evidence", "https://fingertips.phe.org.uk/profile/msk",
        "Office for Health Improvement and Disparities", None,
        (INEQUALITIES,), (COMM, PH),
    ),
    ResourceText(
        "Opioids Aware",
        "The Faculty of Pain Medicine's resource for prescribers and people "
        "taking opioids for pain: when opioids help, when they harm, and tapering.",
        "guidance", "https://fpm.ac.uk/opioids-aware", "Faculty of Pain Medicine",
        None, (PAIN,), (CLIN, LIVED),
    ),
    ResourceText(
        "Live Well with Pain",
        "Tools, patient stories and training for clinicians supporting people "
        "to self-manage persistent pain.",
        "tool", "https://livewellwithpain.co.uk/", "Live Well with Pain", None,
        (PAIN, LONG_TERM), (CLIN, LIVED, PC),
    ),
    ResourceText(
        "ESCAPE-pain",
        "A group rehabilitation programme for people with chronic knee and hip "
        "pain, integrating education and exercise.",
        "tool", "https://escape-pain.org/", "Health Innovation Network", None,
        (LONG_TERM, PRIMARY), (CLIN, COMM, LIVED),
    ),
    ResourceText(
        "Fit note guidance for healthcare professionals",
        "How to write fit notes that help people with MSK conditions stay in or "
        "return to work.",
        "guidance",
        "https://www.gov.uk/government/collections/fit-note",
        "Department for Work and Pensions", None, (WORK,), (CLIN, EMP),
    ),
    ResourceText(
        "Back pain (NHS website)",
        "Information for the public on causes of back pain, things to try at "
        "home and when to get help.",
        "information", "https://www.nhs.uk/conditions/back-pain/", "NHS", None,
        (SPINAL,), (LIVED,),
    ),
    ResourceText(
        "Sciatica (NHS website)",
        "Information for the public on sciatica symptoms, self-care and "
        "treatments, and urgent symptoms to act on.",
        "information", "https://www.nhs.uk/conditions/sciatica/", "NHS", None,
        (SPINAL,), (LIVED,),
    ),
    ResourceText(
        "Osteoarthritis (NHS website)",
        "Information for the public on living with osteoarthritis: exercise, "
        "weight, pain relief and support.",
        "information", "https://www.nhs.uk/conditions/osteoarthritis/", "NHS", None,
        (LONG_TERM,), (LIVED,),
    ),
    ResourceText(
        "Versus Arthritis: information and support",
        "The charity's information for people with arthritis and MSK pain, and "
        "its data on the state of MSK health.",
        "information", "https://www.versusarthritis.org/", "Versus Arthritis", None,
        (LONG_TERM, INEQUALITIES), (LIVED, PH),
    ),
    ResourceText(
        "Royal Osteoporosis Society: information and support",
        "Information on bone health, osteoporosis treatment and living with "
        "fragility fractures.",
        "information", "https://theros.org.uk/", "Royal Osteoporosis Society", None,
        (FALLS,), (LIVED, CLIN),
    ),
    ResourceText(
        "Opioid tapering clinic in primary care",
        "A PCN pharmacist-led clinic offering structured reviews and supported "
        "tapering for people on high-dose opioids; high-dose prescribing fell by "
        "a third in a year." + SYNTHETIC,
        "case_study", "https://example.org/msknet-demo/opioid-tapering-clinic",
        "", None, (PAIN,), (CLIN, COMM), public=False,
    ),
    ResourceText(
        "Spinal triage by first contact practitioners",
        "First contact physiotherapists triaging spinal referrals in line with "
        "NG59 halved waits for specialist assessment." + SYNTHETIC,
        "case_study", "https://example.org/msknet-demo/spinal-triage",
        "", None, (SPINAL, PRIMARY, WORKFORCE), (CLIN, COMM), public=False,
    ),
    ResourceText(
        "Co-producing a persistent pain group",
        "People with lived experience designed and co-deliver a six-week pain "
        "management group in a community centre." + SYNTHETIC,
        "case_study", "https://example.org/msknet-demo/coproduced-pain-group",
        "", None, (PAIN, INEQUALITIES), (CLIN, LIVED, PC),
    ),
    ResourceText(
        "Strength and balance classes in leisure centres",
        "A partnership between a council and a community MSK service to run "
        "falls prevention classes close to home." + SYNTHETIC,
        "case_study", "https://example.org/msknet-demo/strength-and-balance",
        "", None, (FALLS,), (PH, COMM, LIVED),
    ),
    ResourceText(
        "Vocational rehabilitation in community MSK",
        "Employment advisors in a community MSK service helped people with back "
        "pain stay in work." + SYNTHETIC,
        "case_study", "https://example.org/msknet-demo/vocational-rehab",
        "", None, (WORK,), (EMP, CLIN, COMM), public=False,
    ),
    ResourceText(
        "Knee osteoarthritis pathway template",
        "A local pathway template for knee osteoarthritis based on NG226: "
        "diagnosis without imaging, exercise, weight support, referral "
        "criteria." + " Synthetic demo template.",
        "tool", "https://example.org/msknet-demo/knee-oa-pathway",
        "", None, (LONG_TERM, PRIMARY), (CLIN, COMM), public=False,
    ),
    ResourceText(
        "PDSA cycle worksheet",
        "A one-page worksheet for planning and recording Plan-Do-Study-Act "
        "cycles in MSK improvement projects." + " Synthetic demo template.",
        "tool", "https://example.org/msknet-demo/pdsa-worksheet",
        "", None, (WORKFORCE,), (CLIN, COMM), public=False,
    ),
    ResourceText(
        "Health inequalities in MSK: an evidence summary",
        "What is known about differences in MSK prevalence, access and outcomes "
        "by deprivation and ethnicity, with references." + " Synthetic demo summary.",
        "evidence", "https://example.org/msknet-demo/msk-inequalities-evidence",
        "", None, (INEQUALITIES,), (COMM, PH),
    ),
)
