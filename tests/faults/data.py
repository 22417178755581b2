"""Generated import files (CSV and JSON) with N commitments, each with a stable `ref` (so re-imports match)."""

import csv
import json
from pathlib import Path

COUNTRIES = ("KZ", "KG", "TJ", "TM", "UZ")


def rows(n: int, prefix: str = "fault") -> list[dict]:
    return [{"ref": f"{prefix}-{i:05d}", "title_en": f"Fault test project {i}", "title_ja": f"障害テスト案件 {i}",
             "instrument": ("loan", "grant", "technical_cooperation")[i % 3], "stage": "signed",
             "amount": f"{1_000_000 + i * 1000}", "currency": "JPY", "qualifier": "exact",
             "date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", "recipients": COUNTRIES[i % 5]} for i in range(n)]


def write_csv(path: Path, n: int, prefix: str = "fault") -> Path:
    data = rows(n, prefix)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(data[0]))
        writer.writeheader()
        writer.writerows(data)
    return path


def write_json(path: Path, n: int, prefix: str = "fault") -> Path:
    commitments = []
    for row in rows(n, prefix):
        obj = {k: v for k, v in row.items() if k not in ("amount", "currency", "qualifier", "recipients")}
        obj["amount"] = {"amount": row["amount"], "currency": row["currency"], "qualifier": row["qualifier"]}
        obj["recipients"] = [{"country": row["recipients"], "share": None}]
        commitments.append(obj)
    path.write_text(json.dumps({"commitments": commitments}, ensure_ascii=False), encoding="utf-8")
    return path


WRITERS = {"csv": write_csv, "json": write_json}
