"""Run every benchmark: ``python -m benchmarks [--quick] [--write-docs]``."""

from __future__ import annotations

import argparse

from benchmarks import (
    clv_speed,
    collector_load,
    dashboard_load,
    file_formats_speed,
    import_speed,
    invitation_send,
    kpi_speed,
    resolve_speed,
    text_sentiment_quality,
    text_speed,
    theme_quality,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Small sizes (a smoke run).")
    parser.add_argument(
        "--write-docs", action="store_true", help="Update the figures in docs/benchmarks.md."
    )
    args = parser.parse_args()
    import_speed.main(quick=args.quick, write_docs=args.write_docs)
    print()
    file_formats_speed.main(quick=args.quick)
    print()
    collector_load.main(quick=args.quick)
    print()
    dashboard_load.main(quick=args.quick)
    print()
    resolve_speed.main(quick=args.quick, write_docs=args.write_docs)
    print()
    text_speed.main(quick=args.quick, write_docs=args.write_docs)
    print()
    theme_quality.main(quick=args.quick)
    text_sentiment_quality.main()
    print()
    kpi_speed.main(quick=args.quick)
    print()
    invitation_send.main(quick=args.quick)
    print()
    clv_speed.main(quick=args.quick)


if __name__ == "__main__":
    main()
