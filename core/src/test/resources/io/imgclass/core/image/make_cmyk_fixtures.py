#!/usr/bin/python3
"""Writes cmyk.jpg (Adobe CMYK JPEG, 16x16, RGB (200,40,90) converted by PIL) for ImageCodecTest.

    /usr/bin/python3 make_cmyk_fixtures.py
"""
import os
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
Image.new("RGB", (16, 16), (200, 40, 90)).convert("CMYK").save(os.path.join(HERE, "cmyk.jpg"), quality=95)
