"""Claims on small fixture articles: spans, skipping non-claims, clauses, attribution, numbers, negation."""

from __future__ import annotations

import pytest

from compare_helpers import fixture_context


@pytest.fixture(scope="module")
def storm_claims(lang):
    from crosswire.analysis import claims

    ctx = fixture_context(lang)
    claims.run(ctx)
    return ctx


def test_every_claim_is_a_span_of_cleaned_text(storm_claims):
    ctx = storm_claims
    assert ctx.story.claims
    for c in ctx.story.claims:
        assert ctx.article(c.span.article).text[c.span.start : c.span.end] == c.text


def test_headings_questions_and_boilerplate_are_skipped(storm_claims):
    texts = [c.text for c in storm_claims.story.claims]
    assert not any("Storm Hits Coastal Town" in t for t in texts)
    assert not any(t.endswith("?") for t in texts)
    assert not any("newsletter" in t.lower() for t in texts)


def test_claims_are_whole_sentences(storm_claims):
    # a reader understands a claim alone: the whole sentence, with its subject and speaker, no clause pieces
    texts = [c.text for c in storm_claims.story.claims]
    assert any(t.startswith("Mayor Anna Berg said the town would rebuild") and "emergency funds" in t for t in texts)
    assert not any(t[:1].islower() for t in texts)


def test_attribution_numbers_and_negation(storm_claims):
    by_start = {c.text[:30]: c for c in storm_claims.story.claims}
    killed12 = next(c for t, c in by_start.items() if "killed 12" in c.text)
    assert killed12.attribution == "regional government"
    assert killed12.source == "storm_a"  # the outlet is not the party asserting it
    assert killed12.numbers == ["12"]
    killed15 = next(c for c in storm_claims.story.claims if "killed 15" in c.text)
    assert killed15.attribution == "police"
    not_damaged = next(c for c in storm_claims.story.claims if "did not damage" in c.text)
    assert not_damaged.negated
    assert not killed15.negated
    weber = next(c for c in storm_claims.story.claims if c.text.startswith("Prime Minister Jonas Weber"))
    assert weber.attribution is None
    assert any("weber" in e.lower() for e in weber.entities) or weber.entities


def test_outlet_label_falls_back_to_source_site_host_file():
    from crosswire.model import Article

    assert Article(id="a_1", text="x", source="Reuters", site_name="reuters.com").outlet == "Reuters"
    assert Article(id="a_1", text="x", site_name="reuters.com", path="/x/y.txt").outlet == "reuters.com"
    assert Article(id="a_1", text="x", url="https://www.bbc.co.uk/news/1").outlet == "bbc.co.uk"
    assert Article(id="a_1", text="x", path="/x/003_abc.txt").outlet == "unknown (003_abc.txt)"
    assert Article(id="a_1", text="x").outlet == "unknown (a_1)"


def test_claims_are_capped_leads_first():
    from crosswire.analysis.claims import capped
    from crosswire.model import Claim, Span

    def claims(article: str, n: int) -> list[Claim]:
        return [Claim(f"{article}{i}", Span(article, i, i + 1), f"{article} {i}", None) for i in range(n)]

    per = [claims("a", 5), claims("b", 1), claims("c", 4)]
    assert capped(per, 100) == [c for cs in per for c in cs]  # under the cap: unchanged
    got = [c.id for c in capped(per, 6)]
    assert got == ["a0", "a1", "a2", "b0", "c0", "c1"]  # every article's first two, then a third for the first
    assert len(capped(per, 1)) == 1


def test_a_sentence_with_nothing_to_check_is_no_claim(lang):
    # once the reporting verb is set aside, "'It may not,' he said." has no word that says what it is about
    from crosswire.analysis.claims import is_claim_sentence

    def first_sentence(text: str):
        return next(iter(lang.parse(text).sents))

    assert not is_claim_sentence(first_sentence('"It may not," he said.'))
    assert not is_claim_sentence(first_sentence('"We will see about that," she added.'))
    assert is_claim_sentence(first_sentence('"The bridge will reopen in May," he said.'))


@pytest.mark.parametrize(
    "text",
    [
        "Staff writers Bill Laitner and Robert Allen contributed to this report.",
        "(Reporting by David Lawder; Editing by Tom Heneghan)",
        "By submitting your registration information, you agree to our Terms of Service and Privacy Policy.",
        "The views expressed by this author are their own and are not the views of The Hill.",
        "An edited version of this article first appeared in the Jan. 24 issue of Billboard.",
        "Correction: An earlier version of this story said that an email was sent to employees.",
        "Test your knowledge of the Seven Kingdoms with Vanity Fair's Game of Unknowns.",
        "For more news on city homicides, follow @nicolesantacruz.",
        "Advertisement Continue reading the main story",
        "Skip in Skip x Embed x Share CLOSE Officials urge people to stay home as the cold sets in.",
        "Hide Caption 28 of 43 Photos: The search Navy crew members assist in search operations on March 16, 2014.",
    ],
)
def test_page_furniture_is_no_claim(lang, text):
    # credits, disclaimers, sign-up prompts and promos are about the page: a reader must never see one as
    # what "only one outlet reports"
    from crosswire.analysis.claims import is_claim_sentence

    assert not is_claim_sentence(next(iter(lang.parse(text).sents)))


@pytest.mark.parametrize(
    "text",
    [
        "On Thursday, the airline took out a full-page condolence advertisement in the New Straits Times.",
        "We thank you for all of your support during these heartbreaking times, the family said.",
        "When they decide they are interested, they read more and more books in that area, Kip said.",
        "The officer received consent to take ownership of the dogs in writing by their former owner Sunday.",
        "The sets always included five food items such as a sandwich or a cookie, the researchers said.",
    ],
)
def test_the_same_words_in_a_story_sentence_keep_it_a_claim(lang, text):
    from crosswire.analysis.claims import is_claim_sentence

    assert is_claim_sentence(next(iter(lang.parse(text).sents)))
