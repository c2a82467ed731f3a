/*
 * _dexcore: the hot loops of the DEX reader, in C.
 *
 * Why C: an app has millions of Dalvik instructions; decoding them in Python costs
 * seconds. This module walks class_data items and code items once, fills flat arrays
 * of fixed-size rows (returned as bytes), and decodes single instructions for the
 * disassembler. Everything else (header, pools, names, formatting) is Python.
 *
 * The input is attacker-controlled. Rules kept throughout:
 *   - every offset, size and index is checked against the buffer before use, with
 *     64-bit arithmetic so that no sum can wrap;
 *   - no recursion; every loop advances through the buffer or is bounded by a count
 *     that was checked against the bytes left;
 *   - output grows with the input: rows <= instructions scanned, and the total of code
 *     units scanned is capped by a budget the caller passes (shared code items cannot
 *     multiply the work);
 *   - the GIL is released while scanning (buffers are held through Py_buffer).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the opcode table ------------------------------------------------------------ */

enum fmt {
    F10x, F12x, F11n, F11x, F10t, F20t, F22x, F21t, F21s, F21h, F21c, F23x, F22b, F22t,
    F22s, F22c, F32x, F30t, F31t, F31i, F31c, F35c, F3rc, F45cc, F4rcc, F51l, F_COUNT
};
static const char *const FMT_NAMES[F_COUNT] = {
    "10x", "12x", "11n", "11x", "10t", "20t", "22x", "21t", "21s", "21h", "21c", "23x", "22b",
    "22t", "22s", "22c", "32x", "30t", "31t", "31i", "31c", "35c", "3rc", "45cc", "4rcc", "51l"};
static const uint8_t FMT_UNITS[F_COUNT] = {1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2,
                                           2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4, 5};

enum kind {
    K_NONE, K_STRING, K_TYPE, K_FIELD, K_METHOD, K_CALL_SITE, K_METHOD_HANDLE, K_PROTO,
    K_METHOD_PROTO, K_COUNT
};
static const char *const KIND_NAMES[K_COUNT] = {
    "", "string", "type", "field", "method", "call_site", "method_handle", "proto", "method"};

struct opinfo {
    const char *name;
    uint8_t fmt;
    uint8_t kind;
};
#include "_opcodes.h"
#include "_graph.h"

/* Payload pseudo-instruction idents (a nop whose high byte is 1, 2 or 3). */
#define PAYLOAD_PACKED 0x0100u
#define PAYLOAD_SPARSE 0x0200u
#define PAYLOAD_ARRAY 0x0300u

/* ---- little-endian readers (bounds are checked by the callers) ---------------------- */

static inline uint16_t u16at(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t u32at(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Reads a ULEB128 (at most 5 bytes) at *pos; returns 0 on overrun. */
static int read_uleb(const uint8_t *buf, uint64_t len, uint64_t *pos, uint32_t *out) {
    uint32_t result = 0;
    for (int i = 0; i < 5; i++) {
        if (*pos >= len) return 0;
        uint8_t b = buf[(*pos)++];
        result |= (uint32_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *out = result;
            return 1;
        }
    }
    return 0; /* a fifth byte with the continuation bit: malformed */
}

/* Size in code units of the instruction at insns[pc]; 0 if it does not fit in n units. */
static uint64_t insn_units(const uint8_t *insns, uint64_t n, uint64_t pc) {
    uint16_t unit = u16at(insns + 2 * pc);
    uint64_t size;
    uint64_t left = n - pc;
    if (unit == PAYLOAD_PACKED || unit == PAYLOAD_SPARSE || unit == PAYLOAD_ARRAY) {
        if (left < 2) return 0;
        uint64_t count = u16at(insns + 2 * (pc + 1));
        if (unit == PAYLOAD_PACKED) {
            size = 4 + count * 2;
        } else if (unit == PAYLOAD_SPARSE) {
            size = 2 + count * 4;
        } else {
            if (left < 4) return 0;
            uint64_t width = count;
            uint64_t elems = u32at(insns + 2 * (pc + 2));
            size = 4 + (width * elems + 1) / 2; /* < 2^49: no overflow */
        }
    } else {
        size = FMT_UNITS[OPS[unit & 0xff].fmt];
    }
    return size <= left ? size : 0;
}

/* ---- growable row tables ---------------------------------------------------------- */

typedef struct {
    uint32_t *v;
    size_t n;   /* rows */
    size_t cap; /* rows */
    unsigned width;
} table_t;

static int table_push(table_t *t, const uint32_t *row) {
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        if (cap > SIZE_MAX / (sizeof(uint32_t) * t->width)) return 0;
        uint32_t *v = realloc(t->v, cap * sizeof(uint32_t) * t->width);
        if (!v) return 0;
        t->v = v;
        t->cap = cap;
    }
    memcpy(t->v + t->n * t->width, row, sizeof(uint32_t) * t->width);
    t->n++;
    return 1;
}

static PyObject *table_to_bytes(table_t *t) {
    PyObject *b = PyBytes_FromStringAndSize((const char *)t->v,
                                            (Py_ssize_t)(t->n * t->width * sizeof(uint32_t)));
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
    return b;
}

/* Problems are kept as rows of (code, method record, position, value, opcode); the
 * first MAX_PROBLEMS are kept in detail, all are counted. */
#define MAX_PROBLEMS 256
enum problem {
    P_CLASS_DATA_RANGE, P_CLASS_DATA_TRUNCATED, P_BAD_METHOD_IDX, P_BAD_FIELD_IDX,
    P_TOO_MANY_MEMBERS, P_CODE_RANGE, P_CODE_MISALIGNED, P_TRUNCATED_INSN, P_BAD_INDEX,
    P_BUDGET, P_BAD_REG_COUNT, P_COUNT
};
static const char *const PROBLEM_NAMES[P_COUNT] = {
    "class_data_out_of_range", "class_data_truncated", "bad_method_idx", "bad_field_idx",
    "too_many_members", "code_item_out_of_range", "code_item_misaligned", "truncated_instruction",
    "bad_index", "scan_budget_exceeded", "bad_register_count"};

typedef struct {
    table_t detail; /* width 5 */
    uint64_t total;
    int oom;
} problems_t;

static void problem(problems_t *p, unsigned code, uint32_t rec, uint32_t pos, uint32_t value,
                    uint32_t op) {
    p->total++;
    if (p->detail.n < MAX_PROBLEMS) {
        uint32_t row[5] = {code, rec, pos, value, op};
        if (!table_push(&p->detail, row)) p->oom = 1;
    }
}

static PyObject *problems_to_list(problems_t *p) {
    PyObject *list = PyList_New(0);
    if (!list) return NULL;
    for (size_t i = 0; i < p->detail.n; i++) {
        const uint32_t *r = p->detail.v + i * 5;
        PyObject *t = Py_BuildValue("(sIIII)", PROBLEM_NAMES[r[0]], r[1], r[2], r[3], r[4]);
        if (!t || PyList_Append(list, t) < 0) {
            Py_XDECREF(t);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(t);
    }
    return list;
}

/* ---- class_data items ------------------------------------------------------------- */

/* Method records: (class_def_idx, method_idx, access_flags, code_off, kind 0=direct 1=virtual)
 * Field records:  (class_def_idx, field_idx, access_flags, kind 0=static 1=instance)
 * Class records:  (first method record, n_direct, n_virtual, first field record, n_static,
 *                  n_instance) */
/* MREC (u32 per method record) is defined in _graph.h */
#define FREC 4
#define CREC 6

typedef struct {
    const uint8_t *buf;
    uint64_t len;
    uint64_t class_defs_off;
    uint32_t class_defs_size;
    uint32_t method_ids_size;
    uint32_t field_ids_size;
    table_t methods, fields, classes;
    problems_t probs;
    int oom;
} classes_job;

/* Reads `count` encoded members; returns how many records were kept, -1 on truncation. */
static long read_members(classes_job *j, uint64_t *pos, uint32_t cdef, uint32_t count,
                         int is_method, uint32_t kind) {
    uint32_t idx = 0;
    long kept = 0;
    table_t *out = is_method ? &j->methods : &j->fields;
    uint32_t limit = is_method ? j->method_ids_size : j->field_ids_size;
    for (uint32_t i = 0; i < count; i++) { /* each turn consumes >= 2 bytes or returns */
        uint32_t diff, flags, code_off = 0;
        if (!read_uleb(j->buf, j->len, pos, &diff) || !read_uleb(j->buf, j->len, pos, &flags) ||
            (is_method && !read_uleb(j->buf, j->len, pos, &code_off))) {
            problem(&j->probs, P_CLASS_DATA_TRUNCATED, cdef, (uint32_t)*pos, count, 0);
            return -1;
        }
        uint64_t next = (uint64_t)idx + diff;
        idx = (uint32_t)next;
        if (next >= limit) {
            problem(&j->probs, is_method ? P_BAD_METHOD_IDX : P_BAD_FIELD_IDX, cdef, i,
                    (uint32_t)(next > 0xffffffffu ? 0xffffffffu : next), 0);
            continue;
        }
        /* A valid file defines each member once: more records than ids means sharing or
         * garbage, and would let a small file produce unbounded output. */
        if (out->n >= limit) {
            problem(&j->probs, P_TOO_MANY_MEMBERS, cdef, i, limit, 0);
            return -1;
        }
        uint32_t row[MREC];
        row[0] = cdef;
        row[1] = idx;
        row[2] = flags;
        if (is_method) {
            row[3] = code_off;
            row[4] = kind;
        } else {
            row[3] = kind;
        }
        if (!table_push(out, row)) {
            j->oom = 1;
            return -1;
        }
        kept++;
    }
    return kept;
}

static void parse_classes_job(classes_job *j) {
    for (uint32_t c = 0; c < j->class_defs_size && !j->oom; c++) {
        uint32_t crow[CREC] = {(uint32_t)j->methods.n, 0, 0, (uint32_t)j->fields.n, 0, 0};
        uint64_t def = j->class_defs_off + (uint64_t)c * 32;
        if (def + 32 > j->len) break; /* the caller checked the table; defensive */
        uint64_t cd = u32at(j->buf + def + 24);
        if (cd != 0) {
            uint64_t pos = cd;
            uint32_t sizes[4];
            int ok = cd < j->len;
            for (int k = 0; ok && k < 4; k++) ok = read_uleb(j->buf, j->len, &pos, &sizes[k]);
            if (!ok) {
                problem(&j->probs, cd < j->len ? P_CLASS_DATA_TRUNCATED : P_CLASS_DATA_RANGE, c,
                        (uint32_t)cd, 0, 0);
            } else {
                /* static fields, instance fields, direct methods, virtual methods; on
                 * truncation the members read so far are kept */
                static const int is_method[4] = {0, 0, 1, 1};
                static const uint32_t kinds[4] = {0, 1, 0, 1};
                static const int slot[4] = {4, 5, 1, 2};
                for (int k = 0; k < 4; k++) {
                    table_t *t = is_method[k] ? &j->methods : &j->fields;
                    size_t before = t->n;
                    long n = read_members(j, &pos, c, sizes[k], is_method[k], kinds[k]);
                    crow[slot[k]] = (uint32_t)(t->n - before);
                    if (n < 0) break;
                }
            }
        }
        if (!table_push(&j->classes, crow)) j->oom = 1;
    }
}

static PyObject *py_parse_classes(PyObject *self, PyObject *args) {
    Py_buffer view;
    unsigned long long cdoff;
    unsigned int cdsize, msize, fsize;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*KIII", &view, &cdoff, &cdsize, &msize, &fsize)) return NULL;
    classes_job j;
    memset(&j, 0, sizeof j);
    j.buf = view.buf;
    j.len = (uint64_t)view.len;
    j.class_defs_off = cdoff;
    j.class_defs_size = cdsize;
    j.method_ids_size = msize;
    j.field_ids_size = fsize;
    j.methods.width = MREC;
    j.fields.width = FREC;
    j.classes.width = CREC;
    j.probs.detail.width = 5;
    if (cdsize && (cdoff > j.len || (uint64_t)cdsize * 32 > j.len - cdoff)) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "class_defs out of range");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    parse_classes_job(&j);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (j.oom || j.probs.oom) {
        free(j.methods.v);
        free(j.fields.v);
        free(j.classes.v);
        free(j.probs.detail.v);
        return PyErr_NoMemory();
    }
    PyObject *probs = problems_to_list(&j.probs);
    free(j.probs.detail.v);
    PyObject *m = table_to_bytes(&j.methods);
    PyObject *f = table_to_bytes(&j.fields);
    PyObject *c = table_to_bytes(&j.classes);
    if (!probs || !m || !f || !c) {
        Py_XDECREF(probs);
        Py_XDECREF(m);
        Py_XDECREF(f);
        Py_XDECREF(c);
        return NULL;
    }
    return Py_BuildValue("(NNNNK)", c, m, f, probs, (unsigned long long)j.probs.total);
}

/* ---- the code scanner ------------------------------------------------------------- */

/* Reference rows: (caller method_idx, bytecode offset in code units, target index, opcode).
 * Tables: 0 invokes, 1 const-strings, 2 field reads, 3 field writes, 4 type refs. */
#define RREC 4
enum { T_INVOKE, T_STRING, T_FREAD, T_FWRITE, T_TYPE, T_COUNT };

typedef struct {
    const uint8_t *buf;
    uint64_t len;
    const uint8_t *mrecs; /* method records, MREC u32 each, native byte order */
    size_t n_methods;
    uint32_t pool[K_COUNT]; /* pool sizes indexed by kind */
    uint64_t budget;        /* max total code units scanned */
    table_t t[T_COUNT];
    uint32_t *counts; /* instructions per method record */
    problems_t probs;
    int oom;
} scan_job;

static int ref(scan_job *j, int table, uint32_t caller, uint32_t pc, uint32_t target, uint32_t op,
               uint32_t rec) {
    unsigned kind = OPS[op].kind;
    uint32_t lim = kind == K_METHOD_PROTO ? j->pool[K_METHOD] : j->pool[kind];
    if (target >= lim) {
        problem(&j->probs, P_BAD_INDEX, rec, pc, target, op);
        return 1;
    }
    uint32_t row[RREC] = {caller, pc, target, op};
    if (!table_push(&j->t[table], row)) {
        j->oom = 1;
        return 0;
    }
    return 1;
}

static void scan_method(scan_job *j, size_t rec, uint32_t method_idx, uint64_t code_off) {
    if (code_off + 16 > j->len) {
        problem(&j->probs, P_CODE_RANGE, (uint32_t)rec, 0, (uint32_t)code_off, 0);
        return;
    }
    if (code_off & 3) problem(&j->probs, P_CODE_MISALIGNED, (uint32_t)rec, 0, (uint32_t)code_off, 0);
    uint64_t n = u32at(j->buf + code_off + 12);
    uint64_t start = code_off + 16;
    if (n * 2 > j->len - start) {
        problem(&j->probs, P_CODE_RANGE, (uint32_t)rec, 0, (uint32_t)n, 0);
        return;
    }
    if (n > j->budget) {
        problem(&j->probs, P_BUDGET, (uint32_t)rec, 0, (uint32_t)n, 0);
        j->budget = 0;
        return;
    }
    j->budget -= n;
    const uint8_t *insns = j->buf + start;
    uint64_t pc = 0;
    uint32_t count = 0;
    while (pc < n && !j->oom) { /* every turn advances pc by >= 1 */
        uint64_t size = insn_units(insns, n, pc);
        if (size == 0) {
            problem(&j->probs, P_TRUNCATED_INSN, (uint32_t)rec, (uint32_t)pc, insns[2 * pc], 0);
            break;
        }
        count++;
        const uint8_t *p = insns + 2 * pc;
        uint32_t op = p[0];
        uint16_t unit0 = u16at(p);
        uint32_t pc32 = (uint32_t)pc;
        if (!(op == 0 && unit0 != 0)) {
            switch (op) {
            case 0x1a:
                ref(j, T_STRING, method_idx, pc32, u16at(p + 2), op, (uint32_t)rec);
                break;
            case 0x1b:
                ref(j, T_STRING, method_idx, pc32, u32at(p + 2), op, (uint32_t)rec);
                break;
            case 0x1c: case 0x1f: case 0x20: case 0x22: case 0x23: case 0x24: case 0x25:
                ref(j, T_TYPE, method_idx, pc32, u16at(p + 2), op, (uint32_t)rec);
                break;
            case 0x6e: case 0x6f: case 0x70: case 0x71: case 0x72:
            case 0x74: case 0x75: case 0x76: case 0x77: case 0x78:
            case 0xfa: case 0xfb:
                if (OPS[op].fmt == F35c || OPS[op].fmt == F45cc) {
                    if ((p[1] >> 4) > 5)
                        problem(&j->probs, P_BAD_REG_COUNT, (uint32_t)rec, pc32, p[1] >> 4, op);
                }
                ref(j, T_INVOKE, method_idx, pc32, u16at(p + 2), op, (uint32_t)rec);
                break;
            default:
                if ((op >= 0x52 && op <= 0x58) || (op >= 0x60 && op <= 0x66))
                    ref(j, T_FREAD, method_idx, pc32, u16at(p + 2), op, (uint32_t)rec);
                else if ((op >= 0x59 && op <= 0x5f) || (op >= 0x67 && op <= 0x6d))
                    ref(j, T_FWRITE, method_idx, pc32, u16at(p + 2), op, (uint32_t)rec);
                break;
            }
        }
        pc += size;
    }
    j->counts[rec] = count;
}

static void scan_job_run(scan_job *j) {
    for (size_t r = 0; r < j->n_methods && !j->oom; r++) {
        const uint8_t *m = j->mrecs + r * MREC * 4;
        uint32_t rec[MREC];
        memcpy(rec, m, sizeof rec);
        if (rec[3] == 0) continue;
        if (j->budget == 0) {
            problem(&j->probs, P_BUDGET, (uint32_t)r, 0, 0, 0);
            break;
        }
        scan_method(j, r, rec[1], rec[3]);
    }
}

static PyObject *py_scan(PyObject *self, PyObject *args) {
    Py_buffer view, mview;
    unsigned int s_str, s_type, s_field, s_meth, s_proto, s_cs, s_mh;
    unsigned long long budget;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*y*IIIIIIIK", &view, &mview, &s_str, &s_type, &s_field, &s_meth,
                          &s_proto, &s_cs, &s_mh, &budget))
        return NULL;
    scan_job j;
    memset(&j, 0, sizeof j);
    j.buf = view.buf;
    j.len = (uint64_t)view.len;
    j.mrecs = mview.buf;
    j.n_methods = (size_t)mview.len / (MREC * 4);
    j.pool[K_STRING] = s_str;
    j.pool[K_TYPE] = s_type;
    j.pool[K_FIELD] = s_field;
    j.pool[K_METHOD] = s_meth;
    j.pool[K_PROTO] = s_proto;
    j.pool[K_CALL_SITE] = s_cs;
    j.pool[K_METHOD_HANDLE] = s_mh;
    j.budget = budget;
    for (int i = 0; i < T_COUNT; i++) j.t[i].width = RREC;
    j.probs.detail.width = 5;
    j.counts = calloc(j.n_methods ? j.n_methods : 1, sizeof(uint32_t));
    if (!j.counts) {
        PyBuffer_Release(&view);
        PyBuffer_Release(&mview);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS
    scan_job_run(&j);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    PyBuffer_Release(&mview);
    if (j.oom || j.probs.oom) {
        for (int i = 0; i < T_COUNT; i++) free(j.t[i].v);
        free(j.counts);
        free(j.probs.detail.v);
        return PyErr_NoMemory();
    }
    PyObject *counts = PyBytes_FromStringAndSize((const char *)j.counts,
                                                 (Py_ssize_t)(j.n_methods * sizeof(uint32_t)));
    free(j.counts);
    PyObject *probs = problems_to_list(&j.probs);
    free(j.probs.detail.v);
    PyObject *tabs[T_COUNT];
    int ok = counts && probs;
    for (int i = 0; i < T_COUNT; i++) {
        tabs[i] = table_to_bytes(&j.t[i]);
        ok = ok && tabs[i];
    }
    if (!ok) {
        Py_XDECREF(counts);
        Py_XDECREF(probs);
        for (int i = 0; i < T_COUNT; i++) Py_XDECREF(tabs[i]);
        return NULL;
    }
    return Py_BuildValue("(NNNNNNNK)", tabs[0], tabs[1], tabs[2], tabs[3], tabs[4], counts, probs,
                         (unsigned long long)j.probs.total);
}

/* ---- reverse index (CSR) ---------------------------------------------------------- */

/* Counting sort of reference rows by their target column: offsets[k]..offsets[k+1] index
 * into order[], which lists row numbers in their original (caller, offset) order. */
static PyObject *py_csr(PyObject *self, PyObject *args) {
    Py_buffer rows;
    unsigned int n_keys;
    unsigned int column = 2; /* key column: 2 = target (reverse index), 0 = caller (forward) */
    (void)self;
    if (!PyArg_ParseTuple(args, "y*I|I", &rows, &n_keys, &column)) return NULL;
    if (column >= RREC) {
        PyBuffer_Release(&rows);
        PyErr_SetString(PyExc_ValueError, "csr: column out of range");
        return NULL;
    }
    size_t n = (size_t)rows.len / (RREC * 4);
    uint32_t *offsets = calloc((size_t)n_keys + 2, sizeof(uint32_t));
    uint32_t *order = malloc((n ? n : 1) * sizeof(uint32_t));
    if (!offsets || !order || n > UINT32_MAX) {
        free(offsets);
        free(order);
        PyBuffer_Release(&rows);
        return PyErr_NoMemory();
    }
    const uint8_t *base = rows.buf;
    Py_BEGIN_ALLOW_THREADS
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t t;
        memcpy(&t, base + (i * RREC + column) * 4, 4);
        if (t < n_keys) offsets[t + 1]++;
    }
    for (size_t k = 0; k < n_keys; k++) offsets[k + 1] += offsets[k];
    uint32_t *fill = offsets; /* reuse: fill[k] advances to offsets[k+1], then shift back */
    for (size_t i = 0; i < n; i++) {
        uint32_t t;
        memcpy(&t, base + (i * RREC + column) * 4, 4);
        if (t < n_keys) {
            order[fill[t]++] = (uint32_t)i;
            kept++;
        }
    }
    /* now fill[k] == old offsets[k+1]; shift right to restore the starts */
    memmove(offsets + 1, offsets, (size_t)n_keys * sizeof(uint32_t));
    offsets[0] = 0;
    (void)kept;
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&rows);
    PyObject *o = PyBytes_FromStringAndSize((const char *)offsets,
                                            (Py_ssize_t)(((size_t)n_keys + 1) * sizeof(uint32_t)));
    PyObject *r = PyBytes_FromStringAndSize((const char *)order, (Py_ssize_t)(n * sizeof(uint32_t)));
    free(offsets);
    free(order);
    if (!o || !r) {
        Py_XDECREF(o);
        Py_XDECREF(r);
        return NULL;
    }
    return Py_BuildValue("(NN)", o, r);
}

/* ---- single-instruction decoder --------------------------------------------------- */

static inline int32_t s32(uint32_t v) { return (int32_t)v; }

/* decode(buf, insns_off, insns_units, pc) ->
 *   (opcode, format, size, regs, literal, index, index2, branch_target, payload)
 * opcode is 0x100/0x200/0x300 for payloads; payload is a tuple for them, else None.
 * Raises ValueError when the instruction does not fit in the code item. */
static PyObject *py_decode(PyObject *self, PyObject *args) {
    Py_buffer view;
    unsigned long long off, n, pc;
    (void)self;
    if (!PyArg_ParseTuple(args, "y*KKK", &view, &off, &n, &pc)) return NULL;
    PyObject *result = NULL;
    uint64_t len = (uint64_t)view.len;
    if (off > len || n > (len - off) / 2 || pc >= n) {
        PyErr_SetString(PyExc_ValueError, "instruction outside the code item");
        goto done;
    }
    const uint8_t *insns = (const uint8_t *)view.buf + off;
    uint64_t size = insn_units(insns, n, pc);
    if (size == 0) {
        PyErr_SetString(PyExc_ValueError, "truncated instruction");
        goto done;
    }
    const uint8_t *p = insns + 2 * pc;
    uint16_t unit0 = u16at(p);
    uint32_t op = p[0];
    if (unit0 == PAYLOAD_PACKED) {
        uint32_t cnt = u16at(p + 2);
        int32_t first = s32(u32at(p + 4));
        PyObject *targets = PyTuple_New(cnt);
        if (!targets) goto done;
        for (uint32_t i = 0; i < cnt; i++)
            PyTuple_SET_ITEM(targets, i, PyLong_FromLong(s32(u32at(p + 8 + 4 * i))));
        result = Py_BuildValue("(IsKOOOOO(iN))", unit0, "payload", size, Py_None, Py_None, Py_None,
                               Py_None, Py_None, first, targets);
        goto done;
    }
    if (unit0 == PAYLOAD_SPARSE) {
        uint32_t cnt = u16at(p + 2);
        PyObject *keys = PyTuple_New(cnt), *targets = PyTuple_New(cnt);
        if (!keys || !targets) {
            Py_XDECREF(keys);
            Py_XDECREF(targets);
            goto done;
        }
        for (uint32_t i = 0; i < cnt; i++) {
            PyTuple_SET_ITEM(keys, i, PyLong_FromLong(s32(u32at(p + 4 + 4 * i))));
            PyTuple_SET_ITEM(targets, i, PyLong_FromLong(s32(u32at(p + 4 + 4 * cnt + 4 * i))));
        }
        result = Py_BuildValue("(IsKOOOOO(NN))", unit0, "payload", size, Py_None, Py_None, Py_None,
                               Py_None, Py_None, keys, targets);
        goto done;
    }
    if (unit0 == PAYLOAD_ARRAY) {
        uint32_t width = u16at(p + 2);
        uint32_t cnt = u32at(p + 4);
        uint64_t nbytes = (uint64_t)width * cnt; /* fits: checked by insn_units */
        result = Py_BuildValue("(IsKOOOOO(IIy#))", unit0, "payload", size, Py_None, Py_None,
                               Py_None, Py_None, Py_None, width, cnt, (const char *)(p + 8),
                               (Py_ssize_t)nbytes);
        goto done;
    }
    const struct opinfo *info = &OPS[op];
    uint32_t regs[5] = {0};
    int nregs = 0;
    int range = 0; /* regs[0] = first, regs[1] = count */
    PyObject *lit = Py_None, *idx = Py_None, *idx2 = Py_None, *target = Py_None;
    Py_INCREF(Py_None); Py_INCREF(Py_None); Py_INCREF(Py_None); Py_INCREF(Py_None);
    uint32_t A = p[1];
    uint16_t u1 = size > 1 ? u16at(p + 2) : 0;
    switch (info->fmt) {
    case F10x: break;
    case F12x: regs[0] = A & 0xf; regs[1] = A >> 4; nregs = 2; break;
    case F11n:
        regs[0] = A & 0xf; nregs = 1;
        Py_SETREF(lit, PyLong_FromLong(((int32_t)(A >> 4) ^ 8) - 8));
        break;
    case F11x: regs[0] = A; nregs = 1; break;
    case F10t: Py_SETREF(target, PyLong_FromLongLong((long long)pc + (int8_t)A)); break;
    case F20t: Py_SETREF(target, PyLong_FromLongLong((long long)pc + (int16_t)u1)); break;
    case F22x: regs[0] = A; regs[1] = u1; nregs = 2; break;
    case F21t:
        regs[0] = A; nregs = 1;
        Py_SETREF(target, PyLong_FromLongLong((long long)pc + (int16_t)u1));
        break;
    case F21s: regs[0] = A; nregs = 1; Py_SETREF(lit, PyLong_FromLong((int16_t)u1)); break;
    case F21h:
        regs[0] = A; nregs = 1;
        if (op == 0x19)
            Py_SETREF(lit, PyLong_FromLongLong((long long)((uint64_t)u1 << 48)));
        else
            Py_SETREF(lit, PyLong_FromLong(s32((uint32_t)u1 << 16)));
        break;
    case F21c: regs[0] = A; nregs = 1; Py_SETREF(idx, PyLong_FromUnsignedLong(u1)); break;
    case F23x: regs[0] = A; regs[1] = u1 & 0xff; regs[2] = u1 >> 8; nregs = 3; break;
    case F22b:
        regs[0] = A; regs[1] = u1 & 0xff; nregs = 2;
        Py_SETREF(lit, PyLong_FromLong((int8_t)(u1 >> 8)));
        break;
    case F22t:
        regs[0] = A & 0xf; regs[1] = A >> 4; nregs = 2;
        Py_SETREF(target, PyLong_FromLongLong((long long)pc + (int16_t)u1));
        break;
    case F22s:
        regs[0] = A & 0xf; regs[1] = A >> 4; nregs = 2;
        Py_SETREF(lit, PyLong_FromLong((int16_t)u1));
        break;
    case F22c:
        regs[0] = A & 0xf; regs[1] = A >> 4; nregs = 2;
        Py_SETREF(idx, PyLong_FromUnsignedLong(u1));
        break;
    case F32x: regs[0] = u1; regs[1] = u16at(p + 4); nregs = 2; break;
    case F30t: Py_SETREF(target, PyLong_FromLongLong((long long)pc + s32(u32at(p + 2)))); break;
    case F31t:
        regs[0] = A; nregs = 1;
        Py_SETREF(target, PyLong_FromLongLong((long long)pc + s32(u32at(p + 2))));
        break;
    case F31i:
        regs[0] = A; nregs = 1;
        Py_SETREF(lit, PyLong_FromLong(s32(u32at(p + 2))));
        break;
    case F31c: regs[0] = A; nregs = 1; Py_SETREF(idx, PyLong_FromUnsignedLong(u32at(p + 2))); break;
    case F35c:
    case F45cc: {
        uint16_t u2 = u16at(p + 4);
        uint32_t cnt = A >> 4;
        uint32_t all[5] = {u2 & 0xf, (u2 >> 4) & 0xf, (u2 >> 8) & 0xf, u2 >> 12, A & 0xf};
        nregs = cnt > 5 ? 5 : (int)cnt;
        for (int i = 0; i < nregs; i++) regs[i] = all[i];
        Py_SETREF(idx, PyLong_FromUnsignedLong(u1));
        if (info->fmt == F45cc) Py_SETREF(idx2, PyLong_FromUnsignedLong(u16at(p + 6)));
        break;
    }
    case F3rc:
    case F4rcc:
        range = 1;
        regs[0] = u16at(p + 4);
        regs[1] = A;
        Py_SETREF(idx, PyLong_FromUnsignedLong(u1));
        if (info->fmt == F4rcc) Py_SETREF(idx2, PyLong_FromUnsignedLong(u16at(p + 6)));
        break;
    case F51l: {
        uint64_t v = (uint64_t)u32at(p + 2) | ((uint64_t)u32at(p + 6) << 32);
        regs[0] = A; nregs = 1;
        Py_SETREF(lit, PyLong_FromLongLong((long long)v));
        break;
    }
    default: break;
    }
    if (!lit || !idx || !idx2 || !target) {
        Py_XDECREF(lit); Py_XDECREF(idx); Py_XDECREF(idx2); Py_XDECREF(target);
        goto done;
    }
    PyObject *rt;
    if (range) {
        /* (first, count) marked by a nested tuple so Python can print {vA .. vB} */
        rt = Py_BuildValue("((II))", regs[0], regs[1]);
    } else {
        rt = PyTuple_New(nregs);
        if (rt)
            for (int i = 0; i < nregs; i++) PyTuple_SET_ITEM(rt, i, PyLong_FromUnsignedLong(regs[i]));
    }
    if (!rt) {
        Py_DECREF(lit); Py_DECREF(idx); Py_DECREF(idx2); Py_DECREF(target);
        goto done;
    }
    result = Py_BuildValue("(IsKNNNNNO)", op, FMT_NAMES[info->fmt], size, rt, lit, idx, idx2,
                           target, Py_None);
done:
    PyBuffer_Release(&view);
    return result;
}

/* opcode_table() -> tuple of 256 (mnemonic, format, index kind) */
static PyObject *py_opcode_table(PyObject *self, PyObject *noargs) {
    (void)self;
    (void)noargs;
    PyObject *t = PyTuple_New(256);
    if (!t) return NULL;
    for (int i = 0; i < 256; i++) {
        PyObject *e = Py_BuildValue("(ssss)", OPS[i].name, FMT_NAMES[OPS[i].fmt],
                                    KIND_NAMES[OPS[i].kind],
                                    OPS[i].kind == K_METHOD_PROTO ? "proto" : "");
        if (!e) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, e);
    }
    return t;
}

static PyMethodDef METHODS[] = {
    {"parse_classes", py_parse_classes, METH_VARARGS,
     "parse_classes(buf, class_defs_off, class_defs_size, method_ids_size, field_ids_size)"},
    {"scan", py_scan, METH_VARARGS,
     "scan(buf, method_records, strings, types, fields, methods, protos, call_sites, "
     "method_handles, budget_units)"},
    {"csr", py_csr, METH_VARARGS, "csr(rows, n_keys, column=2) -> (offsets, order)"},
    {"decode", py_decode, METH_VARARGS, "decode(buf, insns_off, insns_units, pc)"},
    {"opcode_table", py_opcode_table, METH_NOARGS, "opcode_table() -> 256 entries"},
    {"signatures", py_signatures, METH_VARARGS,
     "signatures(dexes) -> (numbers per DEX file, representatives), see _graph.c"},
    {"plain_strings", py_plain_strings, METH_VARARGS,
     "plain_strings(buf, string_ids_off, n_strings) -> bytes, see _graph.c"},
    {"class_members", py_class_members, METH_VARARGS,
     "class_members(method_table, first, stop, sig_of, dex_no, first_member, walk_mask)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef MODULE = {PyModuleDef_HEAD_INIT, "_dexcore",
                                    "Hot loops of the DEX reader (see _dexcore.c).", -1, METHODS,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__dexcore(void) {
    PyObject *m = PyModule_Create(&MODULE);
    if (!m) return NULL;
    if (PyModule_AddIntConstant(m, "METHOD_RECORD", MREC) < 0 ||
        PyModule_AddIntConstant(m, "FIELD_RECORD", FREC) < 0 ||
        PyModule_AddIntConstant(m, "CLASS_RECORD", CREC) < 0 ||
        PyModule_AddIntConstant(m, "REF_RECORD", RREC) < 0 ||
        PyModule_AddIntConstant(m, "MAX_PROBLEMS", MAX_PROBLEMS) < 0 || add_graph_types(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
