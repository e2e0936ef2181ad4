"""The local CSV guide: its columns, an example file and the problems it names.

The guide page and the downloadable example are built from here, and the
tests check that the columns are the ones the reader accepts
(`importers.local.REQUIRED` and `OPTIONAL`) and that the example imports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    required: str  # "Yes", "No", or when it is needed
    kind: str
    meaning: str
    example: str


COLUMNS = (
    Column("indicator", "Yes", "Text",
           "The indicator's slug or its name, as the site shows it. A name the "
           "network has not used yet creates a new local indicator (give "
           "value_type).", "FCP appointments within 2 weeks"),
    Column("area_code", "Yes", "Code",
           "The ONS code of England, an NHS region or an ICB, or an ICB's ODS code "
           "or a region's Y-code.", "E54000050 or QHM"),
    Column("period", "Yes", "Period",
           "A year (2023), financial year (2022/23), span (2020 - 22), financial "
           "quarter (2022/23 Q1), calendar quarter (2023 Q1) or month (2023-04 or "
           "Apr 2023).", "2024-01"),
    Column("value", "Unless count and denominator are given", "Number",
           "The figure in the indicator's units: 71.5 for 71.5%.", "71.5"),
    Column("lower_95", "No", "Number", "Lower 95% confidence limit.", "68.6"),
    Column("upper_95", "No", "Number", "Upper 95% confidence limit.", "74.2"),
    Column("lower_998", "No", "Number", "Lower 99.8% confidence limit.", "67.0"),
    Column("upper_998", "No", "Number", "Upper 99.8% confidence limit.", "75.7"),
    Column("count", "No", "Number, 0 or more",
           "The numerator: people seen within 2 weeks, say.", "712"),
    Column("denominator", "No", "Number, 0 or more",
           "The denominator: people referred, say.", "1000"),
    Column("sex", "No", "Text", "Blank means Persons.", "Female"),
    Column("age", "No", "Text", "Blank means All ages.", "18+ yrs"),
    Column("category_type", "Only with category", "Text",
           "A breakdown, such as deprivation.", "Deprivation quintile (IMD2019)"),
    Column("category", "Only with category_type", "Text",
           "The group within the breakdown.", "Most deprived quintile (IMD2019)"),
    Column("value_note", "No", "Text", "A note shown with the value.",
           "Provisional"),
    Column("value_type", "To create an indicator", "proportion, rate, ratio or mean",
           "What the new indicator measures.", "proportion"),
    Column("multiplier", "No", "Number",
           "100 for a percentage (the default for proportions), 100000 for a rate "
           "per 100,000 (the default for rates), otherwise 1.", "100"),
    Column("unit", "No", "Text",
           "How values are written: % or per 100,000 by default.", "%"),
    Column("polarity", "No", "higher_is_better, lower_is_better or no_judgement",
           "Whether a higher value is better; no_judgement by default.",
           "higher_is_better"),
)

EXAMPLE_FILE_NAME = "msknet-local-indicators-example.csv"
EXAMPLE_CSV = (
    "indicator,area_code,period,value,lower_95,upper_95,count,denominator,"
    "value_type,unit,polarity\r\n"
    "MSK physiotherapy referrals seen within 6 weeks,QHM,2024-01,,,,712,1000,"
    "proportion,%,higher_is_better\r\n"
    "MSK physiotherapy referrals seen within 6 weeks,QHM,2024-02,,,,698,954,"
    "proportion,%,higher_is_better\r\n"
    "MSK physiotherapy referrals seen within 6 weeks,QMJ,2024-01,71.5,68.6,74.2,,,"
    "proportion,%,higher_is_better\r\n"
)

#: What the checks say, as an import's status page lists them, and what to do.
PROBLEMS = (
    ("Row 1: The header is missing the column(s): period",
     ("Add the column: names are not case-sensitive, and columns may come in "
      "any order.")),
    (("Row 1: The header has column(s) msknet does not know: 'areacode'. See the "
     "local CSV guide for the columns"),
     "Check the spelling against the columns above."),
    (("Row 3, period: 'January 2024' is not a period msknet recognises: write it "
     "like 2023, 2022/23, 2020 - 22, 2022/23 Q1, 2023 Q1, 2023-04 or Apr 2023"),
     "Write the period in one of those shapes."),
    (("Row 4, value: Enter the value, or the count and denominator to compute it "
     "from"),
     "Fill in the value, or both the count and the denominator."),
    (("Row 5, area_code: msknet does not know the area ZZZ: use the ONS code of "
     "England, an NHS region or an ICB (or an ICB's ODS code)"),
     ("Correct the code; GP practices and other smaller areas come only from "
     "Fingertips files.")),
    (("Row 2, indicator: msknet has no indicator 'FCP waits'. Use an indicator's "
     "slug or name, or give value_type (and optionally multiplier, unit and "
     "polarity) to create it"),
     "Use the indicator's name as the site shows it, or add value_type."),
    ("Row 6, count: The count (120) is more than the denominator (100)",
     "A proportion's count cannot be more than its denominator."),
    ("Row 7, category: Give both the category type and the category, or neither",
     "Fill in both columns for a breakdown, or leave both blank."),
)
