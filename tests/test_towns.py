"""The township table: a street or town report's county from the street's or town's own name."""
import pytest

from search import regions, towns


@pytest.mark.parametrize("name, county", [
    ("中梁山街道", "九龙坡区"),                  # one county holds the name
    ("中梁山街道办事处", "九龙坡区"),            # its office after it
    ("下蜀镇人民政府", "句容市"),
    ("望京街道", "朝阳区"),                      # 朝阳区 is in 北京 and 长春: the street tells
    ("控江路街道", "杨浦区"),
])
def test_a_unique_name_gives_its_county(name, county):
    assert towns.county_of(name, year=2023).name == county


@pytest.mark.parametrize("name, inside, county", [
    ("友谊路街道", "上海市", "宝山区"),            # four counties hold it; one is in 上海
    ("友谊路街道", "天津市", "河西区"),
    ("鼓楼街道", "北京市", "密云区"),
])
def test_a_shared_name_counts_inside_the_place_found(name, inside, county):
    place = regions.find(inside, 2023)[0]
    assert towns.county_of(name, place, 2023).name == county
    assert towns.county_of(name, year=2023) is None       # nothing found elsewhere: no guess


@pytest.mark.parametrize("name", ["城关镇", "某某镇", "经济技术开发区", "九龙坡区", "", "街道"])
def test_other_names_give_nothing(name):
    assert towns.county_of(name) is None


def test_the_table_holds_every_province_and_only_known_counties_resolve():
    codes = {code for name in ("中梁山街道", "望京街道", "友谊路街道")
             for code in towns.county_codes(name)}
    assert {"500107", "110105", "310113", "120103"} <= codes
    table = towns._table()
    assert len(table) > 28000 and sum(map(len, table.values())) > 40000
    provinces = {code[:2] for codes in table.values() for code in codes}
    assert len(provinces) == 31
