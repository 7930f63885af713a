"""The till: pricing a sale, storing it, receipts, why-this-price and the TSE adapter."""
