"""The audience arithmetic of a prospectus (sponsorships/match.py): shares to head counts."""

from __future__ import annotations

from decimal import Decimal

from propgen.models import Segment
from propgen.sponsorships.match import audience_match, head_counts, unknown_wants


def seg(name: str, percent: str, *tags: str) -> Segment:
    return Segment(name, Decimal(percent), tags)


def test_whole_shares_give_exact_head_counts() -> None:
    assert head_counts(400, [Decimal(35), Decimal(25), Decimal(20), Decimal(20)]) == [140, 100, 80, 80]


def test_counts_add_up_to_the_total_by_largest_remainder() -> None:
    # 250 × 7% = 17.5 and 250 × 13% = 32.5: rounding each half up would give 51 of the 50 people
    # in these two segments; the leftover person goes to the first of the equal remainders.
    assert head_counts(250, [Decimal(7), Decimal(13), Decimal(80)]) == [18, 32, 200]
    assert sum(head_counts(333, [Decimal("33.3"), Decimal("33.3"), Decimal("33.4")])) == 333


def test_unnamed_attendees_keep_their_share_of_the_rounding() -> None:
    # 10 × 15% = 1.5, 10 × 15% = 1.5; the 70% nobody named is 7: one of 1.5s rounds up, total stays 10.
    assert head_counts(10, [Decimal(15), Decimal(15)]) == [2, 1]


def test_a_prospect_matches_the_segments_sharing_a_wanted_tag() -> None:
    segments = [
        seg("Patients", "35", "patients", "east-java"),
        seg("Oncologists", "25", "oncologists", "clinicians"),
        seg("Researchers", "20", "researchers"),
        seg("Nurses", "20", "nurses", "Clinicians"),
    ]
    match = audience_match(400, segments, ["clinicians"])
    assert [r.segment.name for r in match.matched] == ["Oncologists", "Nurses"]  # tags compare as slugs: Clinicians is clinicians
    assert (match.percent, match.people) == (Decimal(45), 180)
    patients = audience_match(400, segments, ["patients", "east-java"])
    assert (patients.percent, patients.people) == (Decimal(35), 140)  # one segment, counted once
    assert audience_match(400, segments, ["nobody"]).people == 0


def test_the_contract_example_sixty_percent_is_about_240_people() -> None:
    segments = [seg("Patients", "35", "patients"), seg("Oncologists", "25", "oncologists")]
    match = audience_match(400, segments, ["patients", "oncologists"])
    assert (match.percent, match.people) == (Decimal(60), 240)


def test_wanted_tags_no_segment_has() -> None:
    assert unknown_wants([seg("Nurses", "20", "nurses")], ["nurses", "Nurse", "pharma"]) == ["Nurse", "pharma"]
