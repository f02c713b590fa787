"""A real-scale plan workspace, generated: the input of every benchmark.

    from bench.generate import generate_workspace
    root = generate_workspace(tmp_dir / "ws", seed=0)          # English, ~1,500 blocks
    root = generate_workspace(tmp_dir / "zh", language="zh")   # Chinese

writes, in the formats of docs/formats.md:

- drafts/plan.yaml      7 chapters, 38 sections (34 with goals, 4 narrative ones in the last chapter);
- drafts/members.yaml   the project's sample registry (drafts/members.yaml beside this folder:
                        56 current units in the six categories, former units with history,
                        experts, consulted organisations), cut or padded to `members` current units;
- drafts/submissions/<member>-r1.md   one submission per current unit, `goals` goals (at least
                        one per unit and per goal section), as many measures, `indicators` indicators in all (numeric and qualitative,
                        about one in five binding), every goal section covered;
- drafts/chapters/NN-<chapter>.md     the expert chapters: headings with outline ids, narrative
                        paragraphs (some numbered "(1) **Lead-in.** …"), expert-written ordered
                        lists, a few footnotes and hand tables, and the helpers
                        `{{ goals("sec") }}`, `{{ measures("sec") }}`, `{{ indicator_table("sec") }}`,
                        `{{ responsible("sec") }}`, `{{ unit("id") }}`, `{{ plan.title }}`.

Sizes are targets for the *composed* draft (`pipeline.compose.compose_draft`):
`paragraphs` blocks in all and about `words` words (for Chinese: 2 characters per word).
Narrative paragraphs run 20–80 words, built from word lists and sentence templates with a
seeded `random.Random`, so every paragraph differs but all share one plan vocabulary: the
hard case for paragraph alignment. Same arguments → same bytes.

`TextMaker(language, rng)` is the sentence/paragraph maker; bench/edits.py uses it for the
text of rewritten sentences and inserted paragraphs.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import yaml

SAMPLE_MEMBERS = Path(__file__).resolve().parents[1] / "drafts" / "members.yaml"
WORDS_PER_ZH_CHAR = 0.5

# (chapter id, en title, zh title, [(section id, en title, zh title, en topics)])
OUTLINE = [
    ("esc", "Economic, Social and Cultural Rights", "经济、社会和文化权利", [
        ("esc-work", "Right to work", "工作权利", ["the public employment service system", "vocational skills training", "the minimum wage adjustment mechanism", "labour dispute mediation and arbitration", "occupational safety and health", "the rights of workers in flexible employment"]),
        ("esc-living", "Right to basic living standards", "基本生活水准权利", ["the rural minimum living allowance", "safe drinking water in rural areas", "affordable rental housing", "food security", "the renovation of dilapidated rural houses"]),
        ("esc-social-security", "Right to social security", "社会保障权利", ["basic old-age insurance", "unemployment insurance", "work-related injury insurance", "social assistance", "the national social security card system"]),
        ("esc-property", "Property rights", "财产权利", ["the registration of real property", "the protection of private property", "compensation for expropriation", "intellectual property protection", "rural land contract rights"]),
        ("esc-health", "Right to health", "健康权利", ["primary health care", "basic medical insurance", "mental health services", "the prevention of infectious diseases", "maternal and child health care"]),
        ("esc-education", "Right to education", "受教育权利", ["compulsory education", "preschool education", "vocational education", "financial aid for students", "the schooling of children of migrant workers"]),
        ("esc-culture", "Cultural rights", "文化权利", ["public cultural facilities", "the protection of intangible cultural heritage", "public libraries and museums", "cultural services in rural areas", "reading for all"]),
    ]),
    ("cpr", "Civil and Political Rights", "公民权利和政治权利", [
        ("cpr-life", "Right to life", "生命权", ["work safety", "emergency rescue", "road traffic safety", "food and drug safety", "the prevention of violent crime"]),
        ("cpr-person", "Rights of the person", "人身权利", ["the prohibition of torture", "the supervision of detention facilities", "the prevention of trafficking in persons", "the protection of personal dignity", "the rights of detainees"]),
        ("cpr-information", "Personal information rights", "个人信息权益", ["personal information protection", "data security", "the handling of sensitive personal information", "cross-border data transfers", "the rights of data subjects"]),
        ("cpr-religion", "Freedom of religious belief", "宗教信仰自由", ["the management of religious affairs according to law", "the lawful rights of religious groups", "religious sites", "the training of religious personnel"]),
        ("cpr-vote", "Rights to vote and to stand for election", "选举权和被选举权", ["elections of deputies to people's congresses", "villagers' committee elections", "residents' committee elections", "the representation of women deputies"]),
        ("cpr-know-participate", "Rights to be informed and to participate", "知情权和参与权", ["the disclosure of government information", "public hearings", "consultative democracy", "the publication of draft laws for comment", "grassroots self-governance"]),
        ("cpr-expression-supervision", "Rights to be heard and to exercise public scrutiny", "表达权和监督权", ["channels for petitions", "supervision by public opinion", "the handling of public complaints", "online complaint platforms"]),
        ("cpr-fair-trial", "Right to a fair trial", "获得公正审判的权利", ["judicial openness", "legal aid", "the rights of defence", "the exclusion of illegally obtained evidence", "the people's assessor system"]),
    ]),
    ("env", "Environmental Rights", "环境权利", [
        ("env-pollution", "Pollution prevention and control", "污染防治", ["air quality", "water pollution control", "soil pollution control", "solid waste management", "noise pollution control"]),
        ("env-information", "Environmental information disclosure", "环境信息公开", ["the disclosure of environmental information", "pollutant discharge permits", "environmental monitoring data", "environmental impact assessments"]),
        ("env-participation", "Public participation in environmental decision-making", "环境决策公众参与", ["public participation in environmental impact assessment", "environmental hearings", "environmental volunteers", "reporting channels for environmental violations"]),
        ("env-litigation", "Environmental public interest litigation and damage compensation", "环境公益诉讼和损害赔偿", ["environmental public interest litigation", "compensation for ecological damage", "environmental tribunals", "judicial assistance in environmental cases"]),
        ("env-ecology", "Ecological protection and restoration", "生态保护和修复", ["ecological conservation red lines", "national parks", "wetland protection", "biodiversity conservation", "grassland restoration"]),
        ("env-climate", "Responding to climate change", "应对气候变化", ["carbon emission intensity", "the national carbon market", "non-fossil energy", "climate adaptation", "disaster early warning"]),
    ]),
    ("groups", "Rights of Specific Groups", "特定群体权益", [
        ("groups-ethnic", "Rights of ethnic minority groups", "少数民族权利", ["bilingual education", "the development of ethnic minority areas", "the protection of ethnic minority cultures", "the training of ethnic minority officials"]),
        ("groups-women", "Women's rights", "妇女权益", ["equal employment for women", "the prevention of domestic violence", "women's participation in decision-making", "maternity insurance", "cervical and breast cancer screening"]),
        ("groups-children", "Children's rights", "儿童权利", ["the care of left-behind children", "the prevention of child abuse", "childcare services", "the online protection of minors", "children's health"]),
        ("groups-elderly", "Rights of older persons", "老年人权益", ["home and community care services", "long-term care insurance", "age-friendly facilities", "elderly care institutions", "the digital inclusion of older persons"]),
        ("groups-disabled", "Rights of persons with disabilities", "残疾人权益", ["rehabilitation services", "barrier-free environments", "the employment of persons with disabilities", "special education", "sign language and Braille services"]),
    ]),
    ("edu", "Human Rights Education and Research", "人权教育和研究", [
        ("edu-schools", "Human rights education in schools", "学校人权教育", ["human rights content in school curricula", "teacher training in human rights", "human rights education bases"]),
        ("edu-public-servants", "Training of public servants", "公职人员人权培训", ["human rights training for judges and prosecutors", "the training of police officers", "human rights courses in Party schools"]),
        ("edu-research", "Human rights research", "人权研究", ["human rights research institutions", "human rights journals", "research on the theory of human rights"]),
        ("edu-public", "Public awareness", "人权知识普及", ["public awareness of human rights", "human rights publicity in the media", "human rights knowledge in communities"]),
    ]),
    ("global", "Participation in Global Human Rights Governance", "参与全球人权治理", [
        ("global-treaties", "Fulfilling treaty obligations", "履行国际人权条约义务", ["reports under human rights treaties", "the follow-up to treaty body recommendations", "the ratification of international conventions"]),
        ("global-un", "Engagement with United Nations human rights mechanisms", "参与联合国人权机制", ["the universal periodic review", "cooperation with special procedures", "the work of the Human Rights Council"]),
        ("global-cooperation", "International exchange and dialogue", "人权对话与交流", ["human rights dialogues", "exchanges between research institutions", "South-South cooperation on human rights"]),
        ("global-development", "Development cooperation", "发展合作", ["development assistance", "the Global Development Initiative", "poverty reduction cooperation", "humanitarian assistance"]),
    ]),
    ("impl", "Implementation, Supervision and Evaluation", "实施、监督和评估", [
        ("impl-organisation", "Organisation and leadership", "组织领导", ["the joint meeting mechanism", "the coordination of member units"]),
        ("impl-responsibilities", "Division of responsibilities", "责任分工", ["the division of tasks among departments", "the implementation plans of member units"]),
        ("impl-monitoring", "Monitoring and evaluation", "监督评估", ["the mid-term assessment", "the final assessment", "third-party evaluation", "indicator statistics"]),
        ("impl-publicity", "Publicity and reporting", "宣传报告", ["publicity for the action plan", "reports on implementation"]),
    ]),
]
NARRATIVE_CHAPTERS = {"impl"}

EN = {
    "actors": ["The State", "Governments at all levels", "The competent departments", "Local governments",
               "Relevant departments", "The people's courts", "The procuratorates", "Trade unions",
               "Women's federations", "Social organisations", "Public institutions", "Employers",
               "Schools and universities", "Community service centres", "Provincial authorities",
               "Judicial administration organs", "Civil affairs departments", "Public security organs"],
    "verbs": [("strengthen", "strengthened", "strengthening"), ("improve", "improved", "improving"),
              ("expand", "expanded", "expanding"), ("promote", "promoted", "promoting"),
              ("guarantee", "guaranteed", "guaranteeing"), ("refine", "refined", "refining"),
              ("standardise", "standardised", "standardising"), ("support", "supported", "supporting"),
              ("deepen", "deepened", "deepening"), ("protect", "protected", "protecting"),
              ("advance", "advanced", "advancing"), ("safeguard", "safeguarded", "safeguarding"),
              ("consolidate", "consolidated", "consolidating"), ("upgrade", "upgraded", "upgrading"),
              ("extend", "extended", "extending"), ("regulate", "regulated", "regulating"),
              ("monitor", "monitored", "monitoring"), ("develop", "developed", "developing")],
    "modifiers": ["in accordance with the law", "in rural and remote areas", "with a focus on vulnerable groups",
                  "on an equal basis", "across urban and rural areas", "through pilot programmes in selected provinces",
                  "in line with the Fifteenth Five-Year Plan", "so that no one is left behind",
                  "in the central and western regions", "at the grassroots level", "within the period of this plan",
                  "through digital public services", "with adequate funding from public finances",
                  "under the supervision of the people's congresses", "in cooperation with social organisations"],
    "groups": ["rural migrant workers", "older persons", "persons with disabilities", "women", "children",
               "ethnic minority groups", "low-income households", "people in difficulty", "students from poor families",
               "veterans", "workers in new forms of employment", "residents of remote areas"],
    "frameworks": ["the performance assessment of local governments", "the national statistical system",
                   "the annual work plans of member units", "the budgets of governments at all levels",
                   "the rule-of-law assessment system", "the mid-term assessment of this plan"],
    "nouns": ["mechanism", "system", "network", "service", "standard", "policy", "programme", "framework",
              "capacity", "coverage", "quality", "access", "protection", "supervision", "guarantee", "procedure"],
    "adverbs": ["further", "effectively", "steadily", "fully", "actively", "gradually", "continuously", "strictly"],
}
EN_TEMPLATES = [
    "{Actor} will {verb} {obj} {mod}.",
    "{Actor} will {verb} {obj} and {verb2} {obj2}.",
    "By {year}, {obj} will be {pp} {mod}.",
    "Efforts will be made to {verb} {obj}, with a focus on {group}.",
    "{Actor} will {verb} {obj}, {ving} {obj2} {mod}.",
    "To ensure that {group} enjoy equal access to {obj}, {actor} will {verb} {obj2}.",
    "The {noun} for {obj} will be included in {framework}.",
    "{Actor} will work with {actor2} to {verb} {obj} {mod}.",
    "The coverage of {obj} will reach {pct} per cent by {year}.",
    "Investment in {obj} will be increased, and {obj2} will be {pp} {mod}.",
    "{Actor} will inspect {obj} every year and publish the results.",
    "Laws and regulations on {obj} will be revised to {verb} {obj2}.",
    "Pilot programmes for {obj} will be launched in {n} provinces, and successful practices will be extended nationwide.",
    "{Actor} will {adverb} {verb} the {noun} of {obj} {mod}.",
    "Complaints concerning {obj} will be handled within {n} working days.",
]

ZH = {
    "actors": ["国家", "各级政府", "有关部门", "地方各级人民政府", "人民法院", "人民检察院", "各级工会", "各级妇联",
               "社会组织", "公共服务机构", "用人单位", "各类学校", "城乡社区", "司法行政机关", "民政部门", "公安机关"],
    "verbs": ["完善", "加强", "健全", "推进", "保障", "落实", "扩大", "提高", "规范", "深化", "优化", "强化"],
    "adverbs": ["进一步", "切实", "依法", "全面", "积极", "持续", "逐步", "大力"],
    "modifiers": ["，确保城乡居民平等享有", "，重点向农村和边远地区倾斜", "，加大财政投入力度", "，建立长效机制",
                  "，开展试点并总结推广经验", "，纳入地方政府绩效考核", "，提升基层服务能力", "，实现应保尽保"],
    "groups": ["农民工", "老年人", "残疾人", "妇女", "儿童", "少数民族群众", "低收入家庭", "困难群众", "退役军人", "新就业形态劳动者"],
    "nouns": ["体系", "机制", "制度", "网络", "标准", "政策", "服务", "保障"],
    "topics": {  # per chapter: the Chinese vocabulary is smaller than the English one
        "esc": ["公共就业服务", "职业技能培训", "最低工资制度", "社会救助", "基本养老保险", "基本医疗保险", "义务教育", "公共文化服务"],
        "cpr": ["安全生产", "羁押场所监督", "个人信息保护", "宗教事务管理", "基层民主选举", "政务公开", "信访工作", "法律援助"],
        "env": ["大气污染防治", "环境信息公开", "环境影响评价", "环境公益诉讼", "生态保护红线", "碳排放权交易"],
        "groups": ["双语教育", "反家庭暴力", "留守儿童关爱", "居家社区养老服务", "残疾人康复服务", "无障碍环境建设"],
        "edu": ["人权教育", "公职人员培训", "人权研究基地", "人权知识普及"],
        "global": ["条约履约报告", "普遍定期审议", "人权对话", "发展合作"],
        "impl": ["联席会议机制", "任务分工", "中期评估", "第三方评估"],
    },
}
ZH_TEMPLATES = [
    "{actor}{adverb}{verb}{obj}{noun}{mod}。",
    "{actor}{verb}{obj}{noun}，{verb2}{obj2}{noun2}。",
    "到{year}年，{obj}覆盖率达到{pct}%。",
    "{adverb}{verb}{group}的{obj}{noun}{mod}。",
    "{actor}会同{actor2}{verb}{obj}{noun}，保障{group}合法权益。",
    "将{obj}纳入{actor}年度工作计划，{adverb}{verb}{obj2}{noun2}。",
    "在{n}个省份开展{obj}试点，{adverb}{verb}相关{noun}。",
]


def section_titles(language: str) -> dict[str, str]:
    return {s[0]: (s[2] if language == "zh" else s[1]) for c in OUTLINE for s in c[3]}


def section_chapters() -> dict[str, str]:
    return {s[0]: c[0] for c in OUTLINE for s in c[3]}


def _topics(section: str) -> list[str]:
    for chapter in OUTLINE:
        for sec in chapter[3]:
            if sec[0] == section:
                return sec[3]
    return [t for c in OUTLINE for s in c[3] for t in s[3]]


def count_words(text: str, language: str) -> int:
    if language == "zh":
        return round(len(re.findall(r"[\u3400-\u9fff]", text)) * WORDS_PER_ZH_CHAR)
    return len(re.findall(r"[A-Za-z0-9'-]+", text))


def _lower_first(actor: str) -> str:
    """'The competent departments' → 'the competent departments'; 'The State' keeps its capital S."""
    return actor[0].lower() + actor[1:]


class TextMaker:
    """Plan-like sentences and paragraphs from word lists, driven by one random.Random."""

    def __init__(self, language: str, rng: random.Random):
        self.language, self.rng = language, rng

    def sentence(self, section: str = "") -> str:
        return self._zh_sentence(section) if self.language == "zh" else self._en_sentence(section)

    def _en_sentence(self, section: str) -> str:
        pick, topics = self.rng.choice, _topics(section)
        verb, verb2 = pick(EN["verbs"]), pick(EN["verbs"])
        actor, actor2 = pick(EN["actors"]), pick(EN["actors"])
        fields = {
            "Actor": actor, "actor": _lower_first(actor), "actor2": _lower_first(actor2),
            "verb": verb[0], "pp": verb[1], "ving": verb[2], "verb2": verb2[0],
            "obj": pick(topics), "obj2": pick(topics), "mod": pick(EN["modifiers"]),
            "group": pick(EN["groups"]), "framework": pick(EN["frameworks"]), "noun": pick(EN["nouns"]),
            "adverb": pick(EN["adverbs"]), "year": self.rng.randint(2026, 2030), "pct": self.rng.randint(60, 99),
            "n": self.rng.randint(3, 31),
        }
        text = pick(EN_TEMPLATES).format(**fields)
        return text[0].upper() + text[1:]

    def _zh_sentence(self, section: str) -> str:
        pick = self.rng.choice
        chapter = section_chapters().get(section, "esc")
        topics = ZH["topics"][chapter]
        return pick(ZH_TEMPLATES).format(
            actor=pick(ZH["actors"]), actor2=pick(ZH["actors"]), adverb=pick(ZH["adverbs"]), verb=pick(ZH["verbs"]),
            verb2=pick(ZH["verbs"]), obj=pick(topics), obj2=pick(topics), noun=pick(ZH["nouns"]),
            noun2=pick(ZH["nouns"]), mod=pick(ZH["modifiers"]), group=pick(ZH["groups"]),
            year=self.rng.randint(2026, 2030), pct=self.rng.randint(60, 99), n=self.rng.randint(3, 31))

    def paragraph(self, section: str, words: int) -> str:
        """Sentences until about `words` words (within 8 either way when the templates allow)."""
        joiner = "" if self.language == "zh" else " "
        sentences = [self.sentence(section)]
        total = count_words(sentences[0], self.language)
        for _attempt in range(40):
            if total >= words - 3:
                break
            candidate = self.sentence(section)
            size = count_words(candidate, self.language)
            if total + size <= words + 8:
                sentences.append(candidate)
                total += size
        return joiner.join(sentences)

    def lead_in(self, section: str) -> str:
        """A bold lead-in phrase such as '**Improving primary health care.**'."""
        if self.language == "zh":
            return f"**{self.rng.choice(ZH['verbs'])}{self.rng.choice(ZH['topics'][section_chapters().get(section, 'esc')])}。**"
        verb = self.rng.choice(EN["verbs"])[2]
        return f"**{verb[0].upper()}{verb[1:]} {self.rng.choice(_topics(section))}.**"


# ---------------------------------------------------------------------------
# registry and plan

def _is_current(member: dict) -> bool:
    return member["history"][-1]["event"] not in ("removed", "merged")


def _registry(members: int) -> dict:
    """The sample registry with `members` current units: the last ones dropped, or invented ones added."""
    data = yaml.safe_load(SAMPLE_MEMBERS.read_text(encoding="utf-8"))
    rows = data["members"]
    needed = {e["into"] for m in rows for e in m["history"] if e.get("into")}
    droppable = [m["id"] for m in rows if _is_current(m) and not m.get("lead") and m["id"] not in needed]
    surplus = sum(1 for m in rows if _is_current(m)) - members
    dropped = set(droppable[len(droppable) - surplus:]) if surplus > 0 else set()
    rows = [m for m in rows if m["id"] not in dropped]
    for k in range(-surplus):  # pad with invented administrations
        rows.append({"id": f"bureau-{k + 1:02d}", "name_en": f"National Administration No. {k + 1}",
                     "name_zh": f"国家第{k + 1}管理局", "category": "administrative",
                     "history": [{"cycle": "2026-2030", "event": "added"}]})
    return {"members": rows, "experts": data.get("experts", []), "consulted": data.get("consulted", [])}


def _flow(record: dict) -> str:
    return yaml.safe_dump(record, default_flow_style=True, width=100000, allow_unicode=True, sort_keys=False).strip()


def members_yaml(registry: dict) -> str:
    lines = []
    for group in ("members", "experts", "consulted"):
        lines.append(f"{group}:")
        lines += [f"- {_flow(r)}" for r in registry[group]]
    return "\n".join(lines) + "\n"


def plan_yaml(language: str) -> str:
    title = "国家人权行动计划（2026—2030年）" if language == "zh" else "National Human Rights Action Plan of China (2026–2030)"
    head = {
        "title": title, "title_zh": "国家人权行动计划（2026—2030年）", "period": {"start": 2026, "end": 2030},
        "language": language, "profile": language, "lead_units": ["scio", "mfa"],
        "stages": ["preparation", "drafting", "consultation", "examination", "approval", "assessment"],
        "approval_stage": "approval",
        "approval_statement": "Agreed by the Joint Meeting of the National Human Rights Action Plan.",
    }
    lines = [yaml.safe_dump(head, default_flow_style=None, width=100000, allow_unicode=True, sort_keys=False).rstrip(),
             "outline:"]
    for chapter_id, title_en, title_zh, sections in OUTLINE:
        lines.append(f"- id: {chapter_id}\n  title: {title_zh if language == 'zh' else title_en}\n  sections:")
        for sec_id, sec_en, sec_zh, _topics_ in sections:
            lines.append("  - " + _flow({"id": sec_id, "title": sec_zh if language == "zh" else sec_en,
                                         "goals": chapter_id not in NARRATIVE_CHAPTERS}))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# submissions

@dataclass
class UnitPlan:
    member: str
    sections: list[str]
    goals: list[tuple[str, str, str]] = field(default_factory=list)  # (id, section, text)
    measures: list[tuple[str, str, str]] = field(default_factory=list)
    indicators: list[tuple[str, dict]] = field(default_factory=list)  # (section, record)


def _split(total: int, parts: int, rng: random.Random, minimum: int = 1) -> list[int]:
    """`total` shared out over `parts` (each at least `minimum`), unevenly."""
    counts = [minimum] * parts
    for _ in range(total - minimum * parts):
        counts[min(int(rng.expovariate(1.0) * parts / 3), parts - 1) if rng.random() < 0.5 else rng.randrange(parts)] += 1
    rng.shuffle(counts)
    return counts


def _goal_text(maker: TextMaker, section: str) -> str:
    rng = maker.rng
    if maker.language == "zh":
        topic = rng.choice(ZH["topics"][section_chapters()[section]])
        return f"{rng.choice(ZH['verbs'])}{topic}{rng.choice(ZH['nouns'])}{rng.choice(ZH['modifiers'])}。"
    verb = rng.choice(EN["verbs"])[0]
    return f"{verb.capitalize()} {rng.choice(_topics(section))} {rng.choice(EN['modifiers'])}."


def _measure_text(maker: TextMaker, section: str) -> str:
    rng = maker.rng
    if maker.language == "zh":
        return f"{rng.choice(ZH['adverbs'])}{_goal_text(maker, section)}"
    verb = rng.choice(EN["verbs"])[0]
    return (f"{verb.capitalize()} the {rng.choice(EN['nouns'])} of {rng.choice(_topics(section))} "
            f"for {rng.choice(EN['groups'])}.")


def _indicator(maker: TextMaker, ident: str, section: str, lead: str, others: list[str], goal: Optional[str]) -> dict:
    rng, zh = maker.rng, maker.language == "zh"
    topic = rng.choice(ZH["topics"][section_chapters()[section]]) if zh else rng.choice(_topics(section))
    shape = rng.choice(["share", "share", "count", "ceiling", "reduction", "qualitative"])
    record: dict = {"id": ident}
    if goal:
        record["goal"] = goal
    if shape == "share":
        base = rng.randint(55, 90)
        record.update(text=f"{topic}覆盖率" if zh else f"Coverage rate of {topic}", target=rng.randint(base + 3, 99),
                      unit="%", comparison="at-least", baseline=base, base_year=2025)
    elif shape == "count":
        base = rng.randint(1, 40)
        record.update(text=f"{topic}受益人数" if zh else f"Number of people benefiting from {topic}",
                      target=base + rng.randint(2, 30), unit="万人" if zh else "million", comparison="reach",
                      baseline=base, base_year=2025)
    elif shape == "ceiling":
        record.update(text=f"{topic}投诉率" if zh else f"Complaint rate concerning {topic}",
                      target=round(rng.uniform(1, 6), 1), unit="%", comparison="at-most")
    elif shape == "reduction":
        record.update(text=f"{topic}事故发生率" if zh else f"Incidence of failures in {topic}",
                      target=rng.choice([5, 10, 15, 20]), unit="%", comparison="reduce-by", base_year=2025)
    else:
        record.update(text=f"{topic}制度建设" if zh else f"Institutional framework for {topic}",
                      target="全面建立" if zh else rng.choice(["fully established", "in place in all provinces",
                                                              "achieved nationwide"]),
                      comparison="reach")
    record.update(deadline=rng.randint(2027, 2030), kind="binding" if rng.random() < 0.2 else "expected", lead=lead)
    if others and rng.random() < 0.7:
        record["cooperating"] = rng.sample(others, k=min(len(others), rng.randint(1, 3)))
    return record


def _plan_units(registry: dict, goals: int, indicators: int, maker: TextMaker) -> list[UnitPlan]:
    rng = maker.rng
    units = [m["id"] for m in registry["members"] if _is_current(m)]
    goal_sections = [s[0] for c in OUTLINE if c[0] not in NARRATIVE_CHAPTERS for s in c[3]]
    plans = [UnitPlan(member=u, sections=[]) for u in units]
    goal_counts = _split(goals, len(plans), rng)
    spare = dict(zip(units, goal_counts))
    for section in goal_sections:  # every goal section goes to the unit with the most goals to spare
        unit = max(plans, key=lambda p: spare[p.member])
        unit.sections.append(section)
        spare[unit.member] -= 1
    for unit, n_goals in zip(plans, goal_counts):
        while len(unit.sections) < min(rng.randint(1, 3), n_goals):
            unit.sections.append(rng.choice([s for s in goal_sections if s not in unit.sections]))
    for unit, n_goals, n_indicators in zip(plans, goal_counts, _split(indicators, len(plans), rng)):
        for k in range(max(n_goals, len(unit.sections))):
            section = unit.sections[k % len(unit.sections)]
            unit.goals.append((f"g-{unit.member}-{k + 1:02d}", section, _goal_text(maker, section)))
            unit.measures.append((f"m-{unit.member}-{k + 1:02d}", section, _measure_text(maker, section)))
        others = [u for u in units if u != unit.member]
        for k in range(n_indicators):
            gid, section, _text = rng.choice(unit.goals)
            ident = f"i-{unit.member}-{k + 1:02d}"
            unit.indicators.append((section, _indicator(maker, ident, section, unit.member, others, gid)))
    return plans


def submission_md(unit: UnitPlan, language: str) -> str:
    heads = ("目标", "措施", "指标") if language == "zh" else ("Goals", "Measures", "Indicators")
    lines = ["---", f"member: {unit.member}", "round: 1", "date: '2025-09-15'", "---", ""]
    for section in unit.sections:
        goals = [g for g in unit.goals if g[1] == section]
        measures = [m for m in unit.measures if m[1] == section]
        indicators = [r for s, r in unit.indicators if s == section]
        if not (goals or measures or indicators):
            continue
        lines += [f"## {section}", ""]
        for head, items in ((heads[0], goals), (heads[1], measures)):
            if items:
                lines += [f"### {head}", ""] + [f"- [{i}] {t}" for i, _s, t in items] + [""]
        if indicators:
            lines += [f"### {heads[2]}", "", "```yaml"] + [f"- {_flow(r)}" for r in indicators] + ["```", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# chapters

@dataclass
class Budget:
    blocks: int  # narrative blocks the expert writes in this section
    words: float  # mean words per narrative block


def _budgets(plans: list[UnitPlan], paragraphs: int, words: int, language: str) -> dict[str, Budget]:
    """Share the narrative blocks and words over the sections, after what the helpers bring in."""
    sections = [s[0] for c in OUTLINE for s in c[3]]
    helper_blocks = sum(len(p.goals) + len(p.measures) for p in plans)
    with_indicators = {s for p in plans for s, _r in p.indicators}
    helper_blocks += 2 * len(with_indicators)  # table + responsible line
    helper_words = sum(count_words(t, language) for p in plans for _i, _s, t in p.goals + p.measures)
    helper_words += sum(22 for p in plans for _ in p.indicators) + 25 * len(with_indicators)
    goal_sections = [s for c in OUTLINE if c[0] not in NARRATIVE_CHAPTERS for s in c[3]]
    headings = len(OUTLINE) + len(sections) + 2 * len(goal_sections)
    extras = 3 * len(OUTLINE)  # footnotes and hand tables, roughly
    narrative = max(paragraphs - helper_blocks - headings - extras, 2 * len(sections))
    mean = max((words - helper_words - 6 * headings) / narrative, 20)
    base, rest = divmod(narrative, len(sections))
    return {s: Budget(base + (1 if k < rest else 0), mean) for k, s in enumerate(sections)}


def _block_words(rng: random.Random, mean: float) -> int:
    return int(min(80, max(20, rng.triangular(20, 80, min(max(mean, 20), 80)))))


class ChapterWriter:
    """One chapter file: headings with outline ids, narrative, helper calls, footnotes."""

    def __init__(self, chapter: tuple, maker: TextMaker, budgets: dict[str, Budget], units: list[str],
                 with_indicators: set[str]):
        self.chapter, self.maker, self.budgets = chapter, maker, budgets
        self.units, self.with_indicators = units, with_indicators
        self.lines: list[str] = []
        self.footnotes: list[str] = []

    @property
    def zh(self) -> bool:
        return self.maker.language == "zh"

    def block(self, text: str) -> None:
        self.lines += [text, ""]

    def narrative(self, section: str, words: int) -> str:
        rng = self.maker.rng
        text = self.maker.paragraph(section, words)
        if rng.random() < 0.04:  # a unit named through the helper
            actor = f'{{{{ unit("{rng.choice(self.units)}") }}}}'
            text = (f"{actor}将会同有关部门开展专项工作。" if self.zh else f"{actor} will lead this work. ") + text
        if rng.random() < 0.03:
            label = f"{self.chapter[0]}-{len(self.footnotes) + 1}"
            text += f"[^{label}]"
            law = rng.choice(_topics(section))
            self.footnotes.append(f"[^{label}]: " + (f"参见关于{rng.choice(ZH['topics'][self.chapter[0]])}的有关规定。"
                                                   if self.zh else f"See the regulations on {law} ({rng.randint(2015, 2025)})."))
        return text

    def section(self, sec: tuple) -> None:
        sec_id, title_en, title_zh, _topics_ = sec
        rng, budget = self.maker.rng, self.budgets[sec_id]
        self.block(f"## {title_zh if self.zh else title_en} {{#{sec_id}}}")
        goal_section = self.chapter[0] not in NARRATIVE_CHAPTERS
        ordered = goal_section and rng.random() < 0.3
        listed = rng.randint(3, 6) if ordered else 0
        numbered = rng.random() < 0.4
        for k in range(budget.blocks - listed):
            if numbered:
                lead_in = (f"（{k + 1}）" if self.zh else f"({k + 1}) ") + self.maker.lead_in(sec_id) + " "
                size = _block_words(rng, budget.words) - count_words(lead_in, self.maker.language)
                text = lead_in + self.narrative(sec_id, max(size, 12))
            else:
                text = self.narrative(sec_id, _block_words(rng, budget.words))
            self.block(text)
        if goal_section:
            self.block("### 主要目标" if self.zh else "### Goals")
            self.block(f'{{{{ goals("{sec_id}") }}}}')
            self.block("### 主要措施" if self.zh else "### Main measures")
            for k in range(listed):
                self.lines.append(f"{k + 1}. " + self.maker.paragraph(sec_id, _block_words(rng, budget.words * 0.6)))
            if listed:
                self.lines.append("")
            self.block(f'{{{{ measures("{sec_id}") }}}}')
            if sec_id in self.with_indicators:
                self.block(f'{{{{ indicator_table("{sec_id}") }}}}')
                self.block(f'{{{{ responsible("{sec_id}") }}}}')

    def hand_table(self) -> None:
        rng = self.maker.rng
        head = "| 项目 | 2025年 | 2030年 |" if self.zh else "| Item | 2025 | 2030 |"
        rows = [f"| {rng.choice(_topics(s[0]))} | {rng.randint(40, 80)} | {rng.randint(80, 99)} |"
                for s in self.chapter[3][:3]]
        self.block("\n".join([head, "|---|---|---|", *rows]))

    def write(self) -> str:
        chapter_id, title_en, title_zh, sections = self.chapter
        self.block(f"# {title_zh if self.zh else title_en} {{#{chapter_id}}}")
        intro = self.maker.paragraph(sections[0][0], 45)
        if chapter_id == OUTLINE[0][0]:
            intro = ("{{ plan.title }}明确了以下目标任务。" if self.zh else "The {{ plan.title }} sets out the following goals and tasks. ") + intro
        self.block(intro)
        for k, sec in enumerate(sections):
            self.section(sec)
            if k == 1 and self.maker.rng.random() < 0.5:
                self.hand_table()
        for note in self.footnotes:
            self.block(note)
        return "\n".join(self.lines).rstrip() + "\n"


# ---------------------------------------------------------------------------

def generate_workspace(root: Path, *, seed: int = 0, members: int = 56, paragraphs: int = 1500, words: int = 60000,
                       goals: int = 200, indicators: int = 250, language: str = "en") -> Path:
    """Write a complete workspace under `root` (created; existing files are overwritten) and return it."""
    root = Path(root)
    rng = random.Random(f"nhrap-{seed}-{language}")
    maker = TextMaker(language, rng)
    registry = _registry(members)
    plans = _plan_units(registry, goals, indicators, maker)
    drafts = root / "drafts"
    for folder in (drafts / "chapters", drafts / "submissions", root / "comments", root / "glossary"):
        folder.mkdir(parents=True, exist_ok=True)
    (drafts / "plan.yaml").write_text(plan_yaml(language), encoding="utf-8")
    (drafts / "members.yaml").write_text(members_yaml(registry), encoding="utf-8")
    for unit in plans:
        (drafts / "submissions" / f"{unit.member}-r1.md").write_text(submission_md(unit, language), encoding="utf-8")
    budgets = _budgets(plans, paragraphs, words, language)
    units = [p.member for p in plans]
    with_indicators = {s for p in plans for s, _r in p.indicators}
    for number, chapter in enumerate(OUTLINE, start=1):
        text = ChapterWriter(chapter, maker, budgets, units, with_indicators).write()
        (drafts / "chapters" / f"{number:02d}-{chapter[0]}.md").write_text(text, encoding="utf-8")
    return root


if __name__ == "__main__":
    import sys
    print(generate_workspace(Path(sys.argv[1]), language=sys.argv[2] if len(sys.argv) > 2 else "en"))
