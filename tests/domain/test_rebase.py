from pvd.domain.rebase import CurrentGeography, rebase, rebase_with_history

GEO = CurrentGeography(
    actual=frozenset({"01015", "49001", "15141", "15031"}),
    former_codes={"01450": "01015"},  # from anciensCodes of 01015
    delegated_parent={"01056": "01015", "49010": "49001"},
)


def test_merged_communes_get_the_sum_of_their_former_parts():
    result = rebase({"01015": 100, "01056": 40, "01450": 7, "49001": 10, "49010": 5}, GEO)
    assert result.values["01015"] == 147
    assert result.values["49001"] == 15
    assert {(m.old_code, m.new_code) for m in result.mappings} == {
        ("01056", "01015"),
        ("01450", "01015"),
        ("49010", "49001"),
    }
    assert not result.unmapped


def test_unknown_codes_are_reported_not_dropped():
    result = rebase({"99999": 3, "01015": 1}, GEO)
    assert result.unmapped == ["99999"]
    assert result.values == {"01015": 1}


def test_commune_without_value_is_missing_not_zero():
    result = rebase({"01015": 1, "49001": 2, "15141": 300}, GEO)
    assert "15031" not in result.values
    assert result.missing == ["15031"]


def test_restored_commune_is_reported_as_split_from_its_old_parent():
    result = rebase_with_history({"15141": 300, "01015": 1, "49001": 2}, GEO, {"15031": "15141"})
    assert result.split_from == {"15141": ["15031"]}
