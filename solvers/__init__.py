"""Numeric solvers: read an exam question, compute the answer with worked steps, grade responses."""
