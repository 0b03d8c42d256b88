"""Exports of the question bank: Moodle XML, GIFT and IMS QTI 2.1, built from one exportable model."""
