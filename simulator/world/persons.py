"""People of the district: names, phones, resident ids, home addresses."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from simulator.world.region import Community, Street

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国红梅文辉玲志斌鹏宇浩然欣怡子轩梓涵雨婷晨阳思远佳琪俊凯海燕春兰德胜永福丹丹萍晓东"  # noqa: E501
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "157",
    "158",
    "159",
    "166",
    "173",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
BUILDINGS = ("小区", "花园", "新村", "公寓", "大院", "苑")
BIRTH_DATES = tuple(f"{date(1940, 1, 1) + timedelta(days=n):%Y%m%d}" for n in range(365 * 65))


@dataclass(slots=True)
class Person:
    name: str
    is_female: bool
    mobile: str  # 11 digits
    landline: str | None  # 0791-8xxxxxxx, some households have one
    resident_id: str  # 18 characters, valid check digit
    street: Street
    community: Community
    home: str  # address within the street: road + number + estate

    @property
    def courtesy_name(self) -> str:
        return self.name[0] + ("女士" if self.is_female else "先生")


def resident_id_check(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


_BIRTH_SUMS = tuple(sum(int(d) * w for d, w in zip(b, ID_WEIGHTS[6:14], strict=True)) for b in BIRTH_DATES)
_CODE_SUMS: dict[str, int] = {}


def make_resident_id(rng: random.Random, district_code: str, is_female: bool) -> str:
    random_ = rng.random
    born_index = int(random_() * len(BIRTH_DATES))
    order = int(random_() * 5) * 2 + (0 if is_female else 1)  # 17th digit odd for men
    serial = 10 + int(random_() * 89)
    code_sum = _CODE_SUMS.get(district_code)
    if code_sum is None:
        code_sum = _CODE_SUMS[district_code] = sum(int(d) * w for d, w in zip(district_code, ID_WEIGHTS, strict=False))
    # the check digit from precomputed partial sums (same value as resident_id_check)
    total = code_sum + _BIRTH_SUMS[born_index] + (serial // 10) * ID_WEIGHTS[14] + (serial % 10) * ID_WEIGHTS[15]
    total += order * ID_WEIGHTS[16]
    return f"{district_code}{BIRTH_DATES[born_index]}{serial:02d}{order}{ID_CHECK[total % 11]}"


def make_person(rng: random.Random, district_code: str, street: Street) -> Person:
    random_ = rng.random
    is_female = random_() < 0.5
    n_given = 1 if random_() < 1 / 3 else 2
    given = GIVEN[int(random_() * len(GIVEN))]
    if n_given == 2:
        given += GIVEN[int(random_() * len(GIVEN))]
    communities, roads = street.communities, street.roads
    community = communities[int(random_() * len(communities))]
    road = roads[int(random_() * len(roads))]
    estate = community.name.removesuffix("社区") + BUILDINGS[int(random_() * len(BUILDINGS))]
    name = SURNAMES[int(random_() * len(SURNAMES))] + given
    mobile = MOBILE_PREFIXES[int(random_() * len(MOBILE_PREFIXES))] + f"{int(random_() * 10**8):08d}"
    landline = f"0791-8{int(random_() * 10**7):07d}" if random_() < 0.15 else None
    return Person(
        name,
        is_female,
        mobile,
        landline,
        make_resident_id(rng, district_code, is_female),
        street,
        community,
        f"{road}{1 + int(random_() * 299)}号{estate}{1 + int(random_() * 29)}栋",
    )
