"""IATI activity XML in and out: secure streaming import, pillar mapping, XSD-valid 2.03 export."""
