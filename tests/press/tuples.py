"""What the extraction tests compare: (recipients, instrument, amount, currency) of each proposed commitment."""


def tuples(result):
    return [(c["recipients"], c["instrument"], (c["amount"] or {}).get("amount"), (c["amount"] or {}).get("currency"))
            for c in result["commitments"]]
