A feature with two paragraphs.

The second paragraph explains more,
over two lines.
