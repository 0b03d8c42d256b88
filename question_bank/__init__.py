"""Question bank: one Markdown file per exam question, validated at load."""
