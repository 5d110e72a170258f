"""How much of a list file is read before it is refused: the bounds on hostile files.

Lists come from two parties at war, so any file may be built to exhaust the server: a zip
bomb, a sheet that claims the whole grid, an endless line, JSON nested without end. Each
bound below is far above what a real list needs, and keeps the memory and time one file
can cost bounded whatever its content. Readers look these up when they run (`limits.NAME`),
so that tests can lower them to build small hostile files.
"""

from __future__ import annotations

MiB = 1 << 20

# Every format. A party's list has 10 to 40 columns; a header a thousand wide is not a
# list, and every row would carry as many cells.
MAX_COLUMNS = 1_000

# CSV: one row (all of its lines, when a quoted cell holds line breaks). A valid cell has at
# most 1,000 characters (a row error beyond), so a full row of 40 columns is under 200,000;
# a longer one is refused before it fills memory.
CSV_MAX_ROW_CHARS = 1 << 20

# JSON: one person (one item of the array), in characters; nested values are row errors, so
# a valid item is a flat object of short strings.
JSON_MAX_ITEM_CHARS = 1 << 20

# XLSX, checked in the zip's directory before openpyxl reads a byte, and again while the
# parts are read (a directory can lie about sizes).
# A workbook holds a dozen parts, a few hundred with many sheets and pictures.
XLSX_MAX_PARTS = 1_000
# All parts together, unpacked. A list of 300,000 children in 20 columns is about 200 MiB of
# sheet XML; bigger lists are sent as CSV.
XLSX_MAX_UNPACKED = 512 * MiB
# Unpacked size over packed size, per part. Sheet XML packs 5 to 20 times (measured on
# openpyxl and Excel files); deflate can reach 1,000, which only a zip bomb needs. Parts
# smaller than XLSX_RATIO_FROM are not judged: they cannot hold a bomb.
XLSX_MAX_RATIO = 100
XLSX_RATIO_FROM = 1 * MiB
# openpyxl reads some parts whole (workbook, styles, relationships, properties) and keeps all
# shared strings in memory. Parsed XML costs about 90 bytes per element or attribute whatever
# the bytes, so those parts are bounded in bytes and in markup items (start tags and
# attributes): together they stay under about 250 MB.
XLSX_MAX_WHOLE_PARTS = 16 * MiB
XLSX_MAX_WHOLE_ITEMS = 500_000
# About a million shared strings of ordinary text.
XLSX_MAX_SHARED = 64 * MiB
XLSX_MAX_SHARED_ITEMS = 2_000_000
# The sheet is streamed row by row; one row (with whatever precedes it) is bounded too.
XLSX_MAX_ROW_BYTES = 4 * MiB
XLSX_MAX_ROW_ITEMS = 100_000
# A spreadsheet has at most 1,048,576 rows; cells are bounded so that reading one sheet takes
# minutes at worst (a million rows of 20 columns).
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELLS = 20_000_000

# A list sent as a ZIP with its attachments (exchange.bundles): the list and the files its
# rows name. A list of a few hundred children with a photo and a document each holds about a
# thousand files; the largest allowed attachment bounds each file (settings).
BUNDLE_MAX_MEMBERS = 5_000
# All members together, unpacked.
BUNDLE_MAX_UNPACKED = 4 * 1024 * MiB
# Unpacked over packed, per member: PDFs and pictures are already compressed and pack about
# 1:1; a list packs 5 to 20 times; only a bomb needs more (members under BUNDLE_RATIO_FROM
# are not judged).
BUNDLE_MAX_RATIO = 100
BUNDLE_RATIO_FROM = 1 * MiB
# A member's name (its path inside the ZIP), in characters.
BUNDLE_MAX_NAME = 255
