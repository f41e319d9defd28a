"""Command line: ``python -m analysis {validate,simulate,pin,verify,lint,bibcheck,scan-identifiers,why,keys} …``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import SEED, paths


def _validate(args) -> int:
    from analysis.data.codebook import codebook
    from analysis.data.validate import validate
    from analysis.problems import report

    if report(validate(args.data_dir), f"data in {args.data_dir}"):
        return 1
    book = codebook(args.data_dir)
    standin = book.standin_resources
    print(f"{args.data_dir}: valid ({len(book.resources)} resources"
          + (f"; stand-in data: {', '.join(standin)})" if standin else "; no stand-in data)"))
    return 0


def _truth_dir(args) -> Path | None:
    """The planted truth the tests compare against belongs to the shipped stand-in data alone: simulating any other
    folder must not overwrite it unless asked to."""
    if args.truth_dir is not None:
        return args.truth_dir
    return paths.PLANTED_TRUTH if args.data_dir.resolve() == paths.DATA.resolve() else None


def _simulate(args) -> int:
    from analysis.data.simulate import Shape, ensure_codebook, simulate

    try:
        shape = Shape(types=args.types, response_rate=args.response_rate, cases=args.cases,
                      lost_cases=args.lost_cases, interviews=args.interviews, silent_themes=tuple(args.silent_theme),
                      missing=args.missing)
        copied = ensure_codebook(args.data_dir)
        counts = simulate(args.data_dir, None if args.no_truth else _truth_dir(args), seed=args.seed,
                          respond_all=args.respond_all, shape=shape)
    except (ValueError, FileNotFoundError) as problem:
        print(f"simulate: {problem}", file=sys.stderr)
        return 2
    if copied:
        print(f"{args.data_dir} had no codebook: copied the codebook, the reference files and the study record "
              f"of {paths.ROOT / 'data'} ({len(copied)} files)")
    print(", ".join(f"{name}: {n} rows" for name, n in counts.items()) + f" written to {args.data_dir}")
    return 0


def _pin(args) -> int:
    from analysis.publication.editions import editions
    from analysis.results import pins

    changes = pins.pin()
    if changes:
        print(f"{len(changes)} pinned result(s) changed:\n{pins.report(changes, editions())}")
    protected = pins.protection()
    if protected:
        print(f"Disclosure control published {len(protected)} table(s) in a safer form than designed "
              "(the table's note says so to readers, in every language):")
        print("\n".join(f"  {key}: {why}" for key, why in protected.items()))
    print(f"results/ holds every published result (pinned from {paths.data_dir()})")
    return 0


def _verify(args) -> int:
    from analysis.publication.editions import editions
    from analysis.results import pins

    changes = pins.verify()
    if changes:
        print(f"{len(changes)} published result(s) differ from their pins in results/:\n"
              f"{pins.report(changes, editions())}\n"
              "If the change is intended, run `make pin` and commit results/.", file=sys.stderr)
        return 1
    print("Every published result equals its pin in results/.")
    return 0


def _lint(args) -> int:
    from analysis.problems import report
    from analysis.publication.lint import inline_problems, typed_numbers

    status = report(typed_numbers(), "numbers typed into prose (print them from the analysis, or cite their source)")
    if not status:
        print("No typed numbers in the prose of any edition.")
    printing = report(inline_problems(), "results printed in prose")
    if not printing:
        print("Every result printed in prose is a pinned result, printed as a chapter prints it.")
    return status or printing


def _bibcheck(args) -> int:
    from analysis.problems import report
    from analysis.study.literature import check

    checked = check(args.bib)
    if checked.unused:
        print(f"{len(checked.unused)} entries cited nowhere (not shown in any bibliography): "
              + ", ".join(checked.unused))
    status = report(checked.problems, "the bibliography and its citations")
    if not status:
        print(f"{args.bib}: {checked.entries} entries, every citation found")
    return status


def _scan_identifiers(args) -> int:
    from analysis.problems import report
    from analysis.protection.identifiers import scan

    found = scan(args.paths, args.data_dir)
    status = report(found, "direct identifiers (shown masked)")
    if not status:
        print("no direct identifiers found")
    return status


def _translations(args) -> int:
    from analysis.publication import translations

    return translations.main((["accept", *args.accept] if args.accept is not None else []))


def _why(args) -> int:
    from analysis.publication.editions import pages_by_edition
    from analysis.results import pagekeys

    if args.page:
        pages = {args.page.removesuffix(".md"): pagekeys.why(args.page.removesuffix(".md"), args.edition)}
    else:
        pages = pagekeys.why_pages(pages_by_edition()[args.edition], args.edition)
    again = {page: causes for page, causes in pages.items() if causes}
    for page, causes in pages.items():
        if not causes:
            if args.page:
                print(f"{page} ({args.edition}): would not execute again: nothing it read or runs has changed")
            continue
        print(f"{page} ({args.edition}): would execute again:")
        for cause in causes:
            print(f"  {cause}")
    if not args.page:
        print(f"{args.edition}: {len(again)} of {len(pages)} page(s) would execute again")
    return 0


def _keys(args) -> int:
    from analysis.results import pins

    every = pins.pinned()
    found = [result for key, result in every.items() if key.startswith(args.prefix)]  # survey.response.n: n_fl, …
    if not found:
        near = pins.closest(args.prefix, every) or pins.closest(args.prefix, {k.rsplit(".", 1)[0] for k in every})
        print(f"no pinned result under {args.prefix!r}" + (f"; did you mean {', '.join(near)}?" if near else ""),
              file=sys.stderr)
        return 1
    recorded = pins.records()
    for result in found:
        shown = {lang: result.shown[lang] for lang in ("en", "nl", "fr") if lang in result.shown}
        value = (next(iter(shown.values())) if len(set(shown.values())) == 1 else
                 " · ".join(f"{lang} {text}" for lang, text in shown.items())) if shown else f"({result.kind})"
        print(f"{result.key}  {value}")
        print(f"    {result.title}" if result.title else "    (no title)")
        places = pins.where_shown(result.key, recorded)
        print(f"    shown in: {'; '.join(places) if places else 'no page'}" if recorded else
              "    shown in: unknown (no edition built yet: make html)")
    return 0


def _per_region(kind):
    """An argparse type: one value for every region, or one per region separated by commas."""
    def parse(text: str) -> tuple:
        try:
            return tuple(kind(part) for part in text.split(","))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}: expected one {kind.__name__} or three separated by commas")
    return parse


def main(argv: list[str] | None = None) -> int:
    from analysis.data.simulate import MAX_TYPES, RESPONSE_RATE, Shape

    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    v = commands.add_parser("validate", help="check a data directory against its codebook")
    v.add_argument("data_dir", nargs="?", type=Path, default=paths.data_dir())
    v.set_defaults(run=_validate)
    s = commands.add_parser("simulate", help="write the seeded stand-in study data")
    s.add_argument("data_dir", nargs="?", type=Path, default=paths.data_dir())
    s.add_argument("--seed", type=int, default=SEED)
    s.add_argument("--truth-dir", type=Path, help="where the planted truth goes (default: tests/planted/ when DIR is "
                   "the shipped data/ folder, nowhere otherwise)")
    s.add_argument("--no-truth", action="store_true", help="do not write the planted truth")
    s.add_argument("--respond-all", action="store_true", help="every PCSW of the frame responds (benchmarks)")
    shape = s.add_argument_group("the shape of the fieldwork (the defaults write the stand-in data)")
    shape.add_argument("--types", type=int, default=Shape.types, metavar="K",
                       help=f"planted survey types, 1 to {MAX_TYPES} (default {Shape.types})")
    shape.add_argument("--response-rate", type=_per_region(float), metavar="R[,R,R]",
                       help="share of the PCSWs that respond, one for all or per region FL,WA,BR "
                            "(default " + ",".join(str(r) for r in RESPONSE_RATE.values()) + ")")
    shape.add_argument("--cases", type=int, default=Shape.cases, metavar="N",
                       help=f"case studies sampled, shared over the regions as planned (default {Shape.cases})")
    shape.add_argument("--lost-cases", type=int, default=0, metavar="N",
                       help="case studies lost after sampling: their rows and excerpts go, their ids leave a gap")
    shape.add_argument("--interviews", type=_per_region(int), default=Shape.interviews, metavar="N[,N,N]",
                       help=f"newcomer interviews, one number for every region or per region FL,WA,BR "
                            f"(default {Shape.interviews[0]} each)")
    shape.add_argument("--silent-theme", action="append", default=[], metavar="THEME",
                       help="a coded newcomer theme nobody raised (all 0, no quote), e.g. discrimination; repeatable")
    shape.add_argument("--missing", type=float, default=0.0, metavar="SHARE",
                       help="share of answers left blank in every field the codebook lets be empty "
                            "(the survey's attitudes, the newcomers' satisfaction items)")
    s.set_defaults(run=_simulate)
    commands.add_parser("pin", help="recompute every published result and rewrite results/").set_defaults(run=_pin)
    commands.add_parser("verify", help="fail if a published result differs from its pin").set_defaults(run=_verify)
    commands.add_parser("lint", help="find numbers typed into prose").set_defaults(run=_lint)
    b = commands.add_parser("bibcheck", help="check references.bib and every citation of every edition")
    b.add_argument("bib", nargs="?", type=Path, default=paths.BIBLIOGRAPHY)
    b.set_defaults(run=_bibcheck)
    i = commands.add_parser("scan-identifiers", help="look for direct identifiers in data and built artifacts")
    i.add_argument("paths", nargs="*", type=Path, help="files or folders (default: data/ and every built artifact)")
    i.add_argument("--data-dir", type=Path, default=paths.data_dir(), help="whose codebook names the real-name fields")
    i.set_defaults(run=_scan_identifiers)
    t = commands.add_parser("translations", help="list every Dutch and French segment whose English changed")
    t.add_argument("--accept", nargs="*", metavar="TRANSLATION [SEGMENT]",
                   help="record the current English for a translation's segments (all stale ones if none named)")
    t.set_defaults(run=_translations)
    w = commands.add_parser("why", help="say whether and why a page would execute again in the next build")
    w.add_argument("page", nargs="?", default="", help="the page, e.g. chapters/survey (every page of the edition if none)")
    w.add_argument("--edition", default="book")
    w.set_defaults(run=_why)
    k = commands.add_parser("keys", help="list the pinned results under a prefix: value, title, pages that show them")
    k.add_argument("prefix", nargs="?", default="", help="e.g. survey.response (all keys if none)")
    k.set_defaults(run=_keys)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
