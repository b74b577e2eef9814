"""Reading any Markdown reading list: `markdown` turns the text into blocks (headings, list
items with their nesting, table rows, paragraphs) with their lines, `shown` reads the dates,
venues and badges an entry shows, and `entry` turns one block into the fields of a list item.

Pure: no network, no filesystem.
"""
