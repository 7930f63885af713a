"""The categories page, category editor, picker and discount calculator."""
