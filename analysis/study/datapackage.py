"""The data package as published in the "Data and codebook" appendix: every resource's variables and size."""

from __future__ import annotations

from pathlib import PurePosixPath

from analysis.data import load
from analysis.data.codebook import codebook, variables
from analysis.producers import Result, number, publishes, table


@publishes("datapackage")
def resources() -> list[Result]:
    book = codebook()
    results = []
    for name, resource in book.resources.items():
        rows = len(load.table(name))
        status = "simulated data" if resource.standin else "public reference data"
        # the file by its name and the sources as a reader cites them: the appendix is read in print too
        file = PurePosixPath(resource.path).name
        results += [
            number(f"datapackage.{name}.rows", rows, style="count", title=f"Rows in {resource.path}"),
            table(f"datapackage.{name}.variables", variables(resource),
                  title=f"{resource.title} ({file}, {status}): {resource.description} "
                        f"Key: {', '.join(resource.primary_key)}. Source: {'; '.join(resource.cited())}"),
        ]
    results.append(number("datapackage.resources", len(book.resources), style="count", title="Resources"))
    results.append(number("datapackage.standin", len(book.standin_resources), style="count",
                          title="Resources holding stand-in data"))
    return results
