#!/usr/bin/python3
"""Generates the golden .lst files for ListMakerGoldenTest with a faithful re-implementation of
MXNet 1.x tools/im2rec.py --list (list_image / make_list / write_list) on CPython 3's `random`.

    /usr/bin/python3 im2rec_list_golden.py   # rewrites golden-*.lst next to this script

The tree comes from tree.txt (empty files), created in a temporary directory. Each case below is
(name, im2rec options); the outputs are stored as golden-<name><suffix>.lst.
"""
import os
import random
import shutil
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXTS = ['.jpeg', '.jpg', '.png']


def list_image(root, recursive, exts):
    i = 0
    if recursive:
        cat = {}
        for path, dirs, files in os.walk(root, followlinks=True):
            dirs.sort()
            files.sort()
            for fname in files:
                fpath = os.path.join(path, fname)
                suffix = os.path.splitext(fname)[1].lower()
                if os.path.isfile(fpath) and (suffix in exts):
                    if path not in cat:
                        cat[path] = len(cat)
                    yield (i, os.path.relpath(fpath, root), cat[path])
                    i += 1
    else:
        for fname in sorted(os.listdir(root)):
            fpath = os.path.join(root, fname)
            suffix = os.path.splitext(fname)[1].lower()
            if os.path.isfile(fpath) and (suffix in exts):
                yield (i, os.path.relpath(fpath, root), 0)
                i += 1


def write_list(path_out, image_list):
    with open(path_out, 'w') as fout:
        for item in image_list:
            line = '%d\t' % item[0]
            for j in item[2:]:
                line += '%f\t' % j
            line += '%s\n' % item[1]
            fout.write(line)


def make_list(prefix, root, recursive=False, chunks=1, train_ratio=1.0, test_ratio=0.0,
              shuffle=True, seed=100):
    image_list = list(list_image(root, recursive, EXTS))
    if shuffle:
        random.seed(seed)
        random.shuffle(image_list)
    n = len(image_list)
    chunk_size = (n + chunks - 1) // chunks
    for i in range(chunks):
        chunk = image_list[i * chunk_size:(i + 1) * chunk_size]
        str_chunk = '_%d' % i if chunks > 1 else ''
        sep = int(chunk_size * train_ratio)
        sep_test = int(chunk_size * test_ratio)
        if train_ratio == 1.0:
            write_list(prefix + str_chunk + '.lst', chunk)
        else:
            if test_ratio:
                write_list(prefix + str_chunk + '_test.lst', chunk[:sep_test])
            if train_ratio + test_ratio < 1.0:
                write_list(prefix + str_chunk + '_val.lst', chunk[sep_test + sep:])
            write_list(prefix + str_chunk + '_train.lst', chunk[sep_test:sep_test + sep])


CASES = [
    ('recursive', dict(recursive=True)),
    ('flat', dict(recursive=False)),
    ('noshuffle', dict(recursive=True, shuffle=False)),
    ('split', dict(recursive=True, chunks=3, train_ratio=0.6, test_ratio=0.2)),
    ('trainval', dict(recursive=True, train_ratio=0.7)),
    ('seed7', dict(recursive=True, seed=7)),
]


def main():
    tmp = tempfile.mkdtemp()
    try:
        root = os.path.join(tmp, 'root')
        with open(os.path.join(HERE, 'tree.txt'), encoding='utf-8') as f:
            for line in f:
                line = line.rstrip('\n')
                if not line or line.startswith('#'):
                    continue
                p = os.path.join(root, line)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                open(p, 'wb').close()
        for name, opts in CASES:
            out = os.path.join(tmp, 'out')
            os.makedirs(out)
            make_list(os.path.join(out, 'p'), root, **opts)
            for fn in sorted(os.listdir(out)):
                shutil.copyfile(os.path.join(out, fn),
                                os.path.join(HERE, 'golden-' + name + fn[1:]))
            shutil.rmtree(out)
    finally:
        shutil.rmtree(tmp)


if __name__ == '__main__':
    main()
