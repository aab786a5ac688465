"""Render: draw the clips. Framing, labels, captions and loudness feed one ffmpeg filter
graph per segment (and per compare clip) for every format."""
