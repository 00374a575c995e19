"""Chinese text for each channel: the same problem worded the way each channel's writers word it.

Every call draws its own phrasing (opener, place wording, details, duration, demand), so the
same appeal reads differently on each channel and on each repeat, as it does in real intake.
"""

from __future__ import annotations

import random

from simulator.world.draw import between, one, sample
from simulator.world.kinds import ProblemKind

HOTLINE_OPENERS = ("来电人反映：", "市民来电反映，", "来电人称，", "来电者表示：", "市民反映：", "")
DURATIONS = (
    "已经两三天了",
    "持续一个星期了",
    "从昨天晚上开始的",
    "今天早上发现的",
    "有半个多月了",
    "反映过好几次",
    "最近一直这样",
    "已经一个多月",
)
REPEAT_MARKS = ("此前已反映过，至今未解决，", "之前打过电话，问题依旧，", "第二次来电，", "上次反映后没有任何变化，")
EMOJI = ("😤", "😡", "🙄", "😭", "👍", "🤔", "😓", "")
TOPICS = ("#南昌身边事#", "#西湖区#", "#洪城热线#", "#南昌#", "")
MENTIONS = ("@南昌发布", "@西湖发布", "@南昌12345", "")
SUGGESTION_STEMS = ("建议相关部门", "建议", "希望政府", "能否考虑", "恳请有关部门")


def place_phrase(rng: random.Random, street: str, community: str, spot: str, road: str) -> str:
    form = int(rng.random() * 6)  # one of six wordings, only the chosen one is built
    if form == 0:
        return street + spot
    if form == 1:
        return spot
    if form == 2:
        return road + "这边"
    if form == 3:
        return community + spot
    if form == 4:
        return street + road
    return spot + "附近"


def problem_sentence(rng: random.Random, kind: ProblemKind, place: str) -> str:
    return one(rng, kind.problems).format(place=place)


def _details(rng: random.Random, kind: ProblemKind, most: int) -> list[str]:
    return sample(rng, kind.details, between(rng, 0, min(most, len(kind.details))))


def hotline_content(rng: random.Random, kind: ProblemKind, place: str, repeat: bool) -> str:
    parts = [problem_sentence(rng, kind, place), *_details(rng, kind, 2)]
    if rng.random() < 0.6 or len(parts) == 1:  # the contract's floor is 20 characters
        parts.append(one(rng, DURATIONS))
    body = "，".join(parts) + "。"
    if repeat:
        body = one(rng, REPEAT_MARKS) + body
    demand = one(rng, kind.demands) + "。"
    separator = "\r\n诉求：" if rng.random() < 0.3 else ""
    return one(rng, HOTLINE_OPENERS) + body + separator + demand


def city_mgmt_description(rng: random.Random, kind: ProblemKind, place: str, source: str) -> str:
    lead = {"网格员巡查": "巡查发现", "视频监控": "视频监控发现", "市民上报": ""}[source]
    text = lead + problem_sentence(rng, kind, place)
    if rng.random() < 0.4:
        text += "，" + one(rng, kind.details)
    return text


def petition_matter(rng: random.Random, kind: ProblemKind, place: str, name: str, home: str) -> str:
    details = "，".join(_details(rng, kind, 3)) or one(rng, kind.details)
    opening = one(rng, (f"本人{name}，家住{home}。", f"我叫{name}，住在{home}。", "信访人反映："))
    return (
        f"{opening}{problem_sentence(rng, kind, place)}，{details}。"
        f"{one(rng, ('多次向有关部门反映未果', '曾拨打12345热线反映', '社区和街道均未解决'))}，"
        f"{one(rng, kind.demands)}，恳请领导重视。"
    )


def wenzheng_message(rng: random.Random, kind: ProblemKind, place: str, road: str) -> tuple[str, str]:
    keyword = one(rng, kind.keywords)
    title = one(
        rng,
        (
            f"关于{road}{keyword}的问题",
            f"{road}{keyword}问题何时解决？",
            f"反映{keyword}问题",
            f"{keyword}问题请领导关注",
        ),
    )
    detail = "，".join(_details(rng, kind, 2))
    body = (
        f"<p>尊敬的领导：</p><p>您好！{problem_sentence(rng, kind, place)}"
        f"{'，' + detail if detail else ''}，{one(rng, DURATIONS)}。</p>"
        f"<p>{one(rng, kind.demands)}{one(rng, ('，谢谢！', '。&lt;急&gt;', '，盼复！&nbsp;'))}</p>"
    )
    return title, body


def wenzheng_reply(rng: random.Random, unit: str) -> str:
    return (
        f"<p>网友您好：</p><p>您反映的问题已收悉，经{unit}现场核查，已安排处理。</p>"
        f"<p>{one(rng, ('感谢您的监督。', '如有疑问请拨打12345。', '特此回复。'))}</p>"
    )


def wenji_suggestion(rng: random.Random, kind: ProblemKind, place: str) -> tuple[str, str]:
    keyword = one(rng, kind.keywords)
    title = one(rng, (f"关于改善{keyword}的建议", f"对{keyword}问题的几点建议", f"建议解决{keyword}问题"))
    lines = [f"{problem_sentence(rng, kind, place)}，{one(rng, kind.details)}。"]
    lines += [
        f"{i}. {one(rng, SUGGESTION_STEMS)}{d}"
        for i, d in enumerate(sample(rng, kind.demands, between(rng, 1, len(kind.demands))), start=1)
    ]
    if rng.random() < 0.3:
        lines.append(f'以上建议，供"{keyword}"治理参考，谢谢。')
    return title, "\n".join(lines)


def minsheng_content(rng: random.Random, kind: ProblemKind, place: str, entry: str) -> str:
    text = f"{problem_sentence(rng, kind, place)}，{one(rng, kind.demands)}"
    if entry == "村口板凳会":
        return f"板凳会记录：居民反映{text}。"
    return text + one(rng, ("", "！", "。", "，谢谢"))


def opinion_post(rng: random.Random, kind: ProblemKind, place: str) -> str:
    detail = one(rng, kind.details)
    return (
        f"{one(rng, TOPICS)} {problem_sentence(rng, kind, place)}，{detail}{one(rng, EMOJI)} {one(rng, MENTIONS)}"
    ).strip()


def opinion_repost(rng: random.Random, author: str, original: str) -> str:
    comment = one(
        rng,
        (
            "转发微博",
            "这个问题太严重了，希望有关部门重视！",
            "同样遇到过",
            "顶上去",
            "我家附近也是这样",
            "已经好多天了没人管",
        ),
    )
    return f"{comment}{one(rng, EMOJI)} //@{author}: {original}"


def opinion_title(rng: random.Random, kind: ProblemKind, road: str) -> str | None:
    return one(rng, (None, None, f"{road}{one(rng, kind.keywords)}，居民盼解决"))
