"""People of the district: names, phones, resident ids, home addresses."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from simulator.world.draw import below, one
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


@dataclass(frozen=True)
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


def make_resident_id(rng: random.Random, district_code: str, is_female: bool) -> str:
    born = one(rng, BIRTH_DATES)
    order = below(rng, 5) * 2 + (0 if is_female else 1)  # 17th digit odd for men
    first17 = f"{district_code}{born}{10 + below(rng, 89):02d}{order}"
    return first17 + resident_id_check(first17)


def make_person(rng: random.Random, district_code: str, street: Street) -> Person:
    is_female = rng.random() < 0.5
    given = "".join(one(rng, GIVEN) for _ in range(one(rng, (1, 2, 2))))
    community = one(rng, street.communities)
    road = one(rng, street.roads)
    estate = community.name.removesuffix("社区") + one(rng, BUILDINGS)
    return Person(
        name=one(rng, SURNAMES) + given,
        is_female=is_female,
        mobile=one(rng, MOBILE_PREFIXES) + f"{below(rng, 10**8):08d}",
        landline=f"0791-8{below(rng, 10**7):07d}" if rng.random() < 0.15 else None,
        resident_id=make_resident_id(rng, district_code, is_female),
        street=street,
        community=community,
        home=f"{road}{1 + below(rng, 299)}号{estate}{1 + below(rng, 29)}栋",
    )
