"""Text analytics for the voice of the customer: language, sentiment, intent, themes and a
PII-redacted copy of every piece of feedback (the understand stage)."""
