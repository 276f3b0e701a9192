import pytest

from pvd.domain.search import Entry, SearchIndex, fold, normalize, strip_article


def entry(code, nom, dep, pop, cps=(), type="COM", parent=""):
    return Entry(
        code=code,
        type=type,
        nom=nom,
        departement=dep,
        population=pop,
        codes_postaux=tuple(cps),
        parent_code=parent,
        parent_nom="",
    )


INDEX = SearchIndex(
    [
        entry("63236", "Mont-Dore", "63", 1163, ["63240"]),
        entry("98817", "Le Mont-Dore", "988", 25303, ["98809"]),
        entry("48140", "Saint-Chély-d'Apcher", "48", 3955, ["48200"]),
        entry("12225", "Saint-Chély-d'Aubrac", "12", 525, ["12470"]),
        entry("63240", "Montpensier", "63", 465, ["63260"]),
        entry("2A004", "Ajaccio", "2A", 76320, ["20000", "20090"]),
        entry("01015", "Arbignieu", "01", 0, [], type="COMD", parent="01015"),
        entry("01015", "Arboys en Bugey", "01", 700, ["01300"]),
        entry("51108", "Châlons-en-Champagne", "51", 44000, ["51000"]),
        entry("72181", "Le Mans", "72", 145000, ["72000"]),
        entry("35238", "Rennes", "35", 225000, ["35000"]),
        entry("49099", "Les Rosiers-sur-Loire", "49", 2300, []),
    ]
)


def codes(query, limit=20):
    return [h.entry.code for h in INDEX.search(query, limit)]


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Saint-Chély-d'Apcher", "saint chely d apcher"), ("  ŒUVRE  l’Île ", "oeuvre l ile")],
)
def test_fold_removes_case_accents_hyphens_and_apostrophes(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "normalized"),
    [("St-Chély d'Apcher", normalize("Saint Chely d Apcher")), ("Ste Marie", "sainte marie")],
)
def test_normalize_expands_saint_abbreviations(text, normalized):
    assert normalize(text) == normalized


@pytest.mark.parametrize(
    ("text", "stripped"),
    [("le mont dore", "mont dore"), ("l ile d yeu", "ile d yeu"), ("montele", "montele")],
)
def test_strip_article_only_at_start(text, stripped):
    assert strip_article(text) == stripped


def test_le_mont_dore_shows_both_homonyms_exact_first():
    assert codes("le mont dore")[:2] == ["98817", "63236"]


def test_mont_dore_puts_the_exact_name_first():
    assert codes("mont dore")[:2] == ["63236", "98817"]


def test_saint_spellings_and_punctuation():
    assert codes("st chely d apcher")[0] == "48140"
    assert codes("SAINT CHÉLY D'APCHER")[0] == "48140"
    assert codes("saint-chely")[:2] == ["48140", "12225"]  # prefix: ranked by population


def test_postal_code_and_insee_code():
    # 63240 is both the postal code of Mont-Dore and the INSEE code of Montpensier: both are
    # exact matches, ranked by population.
    assert codes("63240") == ["63236", "63240"]
    assert [h.match for h in INDEX.search("63240")] == ["code postal", "code INSEE"]
    assert codes("2a004") == ["2A004"]
    assert codes("20090") == ["2A004"]


def test_partial_code_is_a_prefix_search():
    assert set(codes("632")) == {"63236", "63240"}


def test_word_prefixes_in_any_position():
    assert codes("chalons champ") == ["51108"]
    assert codes("rosiers") == ["49099"]
    assert codes("mans") == ["72181"]


def test_commune_deleguee_after_communes_of_same_closeness():
    hits = INDEX.search("arb")
    assert [(h.entry.nom, h.entry.type) for h in hits] == [
        ("Arboys en Bugey", "COM"),
        ("Arbignieu", "COMD"),
    ]


def test_no_match_and_blank_query():
    assert codes("zzzz") == []
    assert codes("   ") == []
    assert codes("-'") == []


def test_substring_is_a_last_resort():
    assert codes("ontpensier") == ["63240"]
    # "mont" starts all three names (article aside): prefix matches, ranked by population.
    assert codes("mont") == ["98817", "63236", "63240"]
    # "pensier" is a substring only, but "montpen" is a prefix: prefix hits never include it.
    assert codes("ensier") == ["63240"]


def _ranked_all(index, query, limit):
    """The order the page must follow, computed the slow way: every name of the index ranked
    (0 exact, 1 exact without article, 2 prefix; x 2, + 1 for a commune déléguée/associée),
    then by index order (population)."""
    key = normalize(query)
    bare = strip_article(key)
    ranked = []
    for i in range(len(index)):
        e = index.entry(i)
        name = normalize(e.nom)
        rank = 0 if name == key else 1 if strip_article(name) == bare else 2
        if strip_article(name).startswith(bare):
            ranked.append(((rank * 2 + (e.type in ("COMD", "COMA")), i), e.code, e.nom))
    return [(code, nom) for _, code, nom in sorted(ranked)[:limit]]


def test_a_broad_prefix_page_is_the_best_of_all_the_names_starting_with_it():
    """"saint" starts hundreds of names: the page is taken without ranking them all, and must
    equal ranking them all (exact and article-less names first, communes before communes
    déléguées, then by population)."""
    entries = [entry("90000", "Saint", "90", 10), entry("90001", "Le Saint", "90", 5)]
    for n in range(300):
        kind = "COMD" if n % 7 == 0 else "COM"
        pop = (n * 7919) % 5000 if kind == "COM" else 0
        entries.append(entry(f"9{n:04d}", f"Saint-{n:03d}", "90", pop, type=kind, parent="90000"))
    entries.append(entry("90999", "Le Saint", "90", 0, type="COMA", parent="90000"))
    index = SearchIndex(entries)
    for query in ("saint", "st", "le saint", "saint-1", "saint 00"):
        for limit in (1, 2, 3, 10, 50, 299, 400):
            hits = index.search(query, limit)
            assert [(h.entry.code, h.entry.nom) for h in hits] == _ranked_all(index, query, limit)
    assert [h.rank for h in index.search("saint", 3)] == [0, 2, 3]
