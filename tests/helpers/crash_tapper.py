"""Child process for the crash test: taps as fast as it can through the domain API and
prints each tally id once tap() has returned, i.e. once the app would acknowledge it."""
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.store import Store  # noqa: E402
from app.tallies import record_card, tap  # noqa: E402


def main(data_dir: str, opening_id: str) -> None:
    with Store.open(Path(data_dir)) as store:
        print("ready", flush=True)
        i = 0
        while True:
            now = datetime.now().astimezone()
            if i % 3 == 2:
                rows = record_card(store, opening_id, {"age_band": "40s", "method": "online"},
                                   ["insurance_link"], now=now)
            else:
                rows = [tap(store, opening_id, "visitors", now=now)]
            print(" ".join(r.id for r in rows), flush=True)
            i += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
