#include "cli_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "facies/labels.h"

void cli_files_init(cli_files *f, const char *verb, const char *synopsis)
{
    memset(f, 0, sizeof *f);
    f->verb = verb;
    f->synopsis = synopsis;
}

void cli_files_input(cli_files *f, const char *role, const char *path, unsigned kinds, const char *want)
{
    if (!path || f->nin == CLI_FILES_MAX_IN)
        return;
    f->in[f->nin++] = (cli_input){.role = role, .path = path, .kinds = kinds, .want = want};
}

int cli_files_labels(cli_files *f, const char *const *labels, int nlabels, const char *classes)
{
    int segy = 0;
    for (int i = 0; i < nlabels; i++) {
        cli_files_input(f, "--labels", labels[i], CLI_KIND(FC_FILE_KIND_SEGY) | CLI_KIND(FC_FILE_KIND_TEXT),
                        "labels (a label SEG-Y, picks CSV or horizon interval table)");
        segy += fc_file_detect(labels[i]) == FC_FILE_KIND_SEGY;
    }
    cli_files_input(f, "--classes", classes, CLI_KIND(FC_FILE_KIND_TEXT), "a legend CSV (code,name,colour)");
    return segy;
}

void cli_files_hint(cli_files *f, fc_file_kind swapped, const char *hint)
{
    if (f->nin > 0) {
        f->in[f->nin - 1].swapped = swapped;
        f->in[f->nin - 1].hint = hint;
    }
}

/* dst = a b c d, cut to fit (paths of thousands of bytes are not worth a longer message). */
static void join(char *dst, size_t size, const char *a, const char *b, const char *c, const char *d)
{
    const char *part[4] = {a, b, c, d};
    size_t at = 0;
    for (int i = 0; i < 4; i++) {
        size_t n = strlen(part[i]);
        if (n > size - 1 - at)
            n = size - 1 - at;
        memcpy(dst + at, part[i], n);
        at += n;
    }
    dst[at] = '\0';
}

static cli_output *add_output(cli_files *f, const char *path, const char *suffix)
{
    if (f->nout == CLI_FILES_MAX_OUT)
        return NULL;
    cli_output *o = &f->out[f->nout++];
    memset(o, 0, sizeof *o);
    join(o->path, sizeof o->path, path, suffix, "", "");
    return o;
}

/* Every output is written as NAME.partial and renamed when complete. */
static void add_partial(cli_files *f, int of)
{
    cli_output *o = add_output(f, f->out[of].path, ".partial");
    if (o)
        o->temporary = 1;
    if (o)
        join(o->label, sizeof o->label, o->path, " (the temporary name of ", f->out[of].label, ")");
}

void cli_files_output(cli_files *f, const char *option, const char *path)
{
    cli_output *o = path ? add_output(f, path, "") : NULL;
    if (!o)
        return;
    join(o->label, sizeof o->label, option, " ", path, "");
    o->primary = 1;
    add_partial(f, f->nout - 1);
}

void cli_files_added_to(cli_files *f, fc_file_kind kind, const char *want)
{
    for (int i = f->nout - 1; i >= 0; i--)
        if (f->out[i].primary) {
            f->out[i].added_to = kind;
            f->out[i].want = want;
            return;
        }
}

void cli_files_beside(cli_files *f, const char *option, const char *of, const char *path)
{
    cli_output *o = of ? add_output(f, path, "") : NULL;
    if (!o)
        return;
    char by[CLI_FILES_PATH];
    join(by, sizeof by, " (written beside ", option, " ", of);
    join(o->label, sizeof o->label, path, by, ")", "");
    add_partial(f, f->nout - 1);
}

void cli_files_folder(cli_files *f, const char *option, const char *path)
{
    cli_output *o = path ? add_output(f, path, "") : NULL;
    if (!o)
        return;
    join(o->label, sizeof o->label, option, " ", path, "");
    o->primary = o->folder = 1;
}

void cli_files_folder_of(cli_files *f, const char *option, const char *path, const char *const *names, int n)
{
    cli_files_folder(f, option, path);
    if (path && f->nout > 0 && !strcmp(f->out[f->nout - 1].path, path)) {
        f->out[f->nout - 1].members = names;
        f->out[f->nout - 1].nmembers = n;
    }
}

/* What a path names: an existing file by device and inode; a file yet to be made by its folder's device and
 * inode and its name. */
typedef struct file_id {
    int known; /* 0: neither the file nor its folder exists */
    int exists;
    dev_t dev;
    ino_t ino;
    const char *name;
} file_id;

/* The folder part of a path ("." for a bare name) into buf; returns the name part. */
static const char *split_path(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, size, ".");
    else
        snprintf(buf, size, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    return slash ? slash + 1 : path;
}

static file_id identify(const char *path)
{
    file_id id = {0};
    struct stat sb;
    char dir[CLI_FILES_PATH];
    if (stat(path, &sb) == 0) {
        id.known = id.exists = 1;
    } else {
        id.name = split_path(path, dir, sizeof dir);
        id.known = stat(dir, &sb) == 0;
    }
    id.dev = sb.st_dev;
    id.ino = sb.st_ino;
    return id;
}

static int same_file(file_id a, file_id b)
{
    if (!a.known || !b.known || a.exists != b.exists || a.dev != b.dev || a.ino != b.ino)
        return 0;
    return a.exists || !strcmp(a.name, b.name);
}

static const char *kind_description(fc_file_kind k)
{
    switch (k) {
    case FC_FILE_KIND_FOLDER: return "a folder";
    case FC_FILE_KIND_SEGY: return "a SEG-Y survey";
    case FC_FILE_KIND_TEXT: return "a text file";
    case FC_FILE_KIND_HDF5: return "an HDF5 file that facies did not write";
    case FC_FILE_KIND_MODEL: return "a model (facies train output)";
    case FC_FILE_KIND_PATCHES: return "a patch dataset (facies ingest output)";
    case FC_FILE_KIND_PROBABILITIES: return "a probability volume (facies apply --probabilities output)";
    case FC_FILE_KIND_UNKNOWN: break;
    }
    return "of an unknown kind";
}

static int check_kinds(const cli_files *f)
{
    for (int i = 0; i < f->nin; i++) {
        const cli_input *in = &f->in[i];
        fc_file_kind k = in->kinds ? fc_file_detect(in->path) : FC_FILE_KIND_UNKNOWN;
        if (k == FC_FILE_KIND_UNKNOWN || (in->kinds & CLI_KIND(k)))
            continue; /* unknown: the reader that wants it says what is wrong */
        const char *role = in->role[0] == '-' ? in->role : "";
        if (in->hint && k == in->swapped)
            return cli_error(EXIT_USAGE, f->verb, "%s%s%s is %s, but %s: %s", role, *role ? " " : "", in->path,
                             kind_description(k), in->hint, f->synopsis);
        return cli_error(EXIT_USAGE, f->verb, "%s%s%s is %s, not %s: %s", role, *role ? " " : "", in->path,
                         kind_description(k), in->want, f->synopsis);
    }
    for (int i = 0; i < f->nout; i++) {
        const cli_output *o = &f->out[i];
        fc_file_kind k = o->added_to ? fc_file_detect(o->path) : FC_FILE_KIND_UNKNOWN;
        if (k != FC_FILE_KIND_UNKNOWN && k != o->added_to) /* a missing one: the reader says so */
            return cli_error(EXIT_USAGE, f->verb, "%s is %s, not %s to add to: %s", o->label, kind_description(k),
                             o->want, f->synopsis);
    }
    return 0;
}

/* An input among the pictures a folder receives. */
static int picture_in_folder(const cli_output *o, const char *input)
{
    char dir[CLI_FILES_PATH];
    const char *name = split_path(input, dir, sizeof dir);
    size_t n = strlen(name);
    return n > 4 && !strcmp(name + n - 4, ".png") && same_file(identify(dir), identify(o->path));
}

/* A picture, or the temporary NAME.partial it is written as, already in the folder under a name facies may write
 * (a symlink or hard link there to an input would be written through). */
static int picture_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 4 && !strcmp(name + n - 4, ".png")) || (n > 12 && !strcmp(name + n - 12, ".png.partial"));
}

static int check_picture_folder(const cli_files *f, const cli_output *o)
{
    DIR *d = opendir(o->path);
    if (!d)
        return 0; /* a folder yet to be made holds nothing */
    int rc = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (!picture_name(e->d_name))
            continue;
        char path[CLI_FILES_PATH];
        join(path, sizeof path, o->path, "/", e->d_name, "");
        file_id id = identify(path);
        for (int j = 0; j < f->nin && !rc; j++) {
            const cli_input *in = &f->in[j];
            int option = in->role[0] == '-';
            if (same_file(id, identify(in->path)))
                rc = cli_error(EXIT_USAGE, f->verb,
                               "%s holds %s, which is %s%s%s %s under another name (pictures are written there); "
                               "choose another folder",
                               o->label, path, option ? "the " : "", in->role, option ? " file" : "", in->path);
        }
    }
    closedir(d);
    return rc;
}

/* An output among the horizon files an interval table (a --labels input) names. */
typedef struct horizon_match {
    file_id out;
    char path[CLI_FILES_PATH];
} horizon_match;

static void match_horizon(void *ctx, const char *horizon)
{
    horizon_match *m = ctx;
    if (!m->path[0] && same_file(m->out, identify(horizon)))
        snprintf(m->path, sizeof m->path, "%s", horizon);
}

static int check_horizons(const cli_files *f, const cli_output *o, const cli_input *in)
{
    horizon_match m = {.out = identify(o->path)};
    fc_error err = {0};
    fc_status st = strcmp(in->role, "--labels") ? FC_OK : fc_labels_horizon_files(in->path, match_horizon, &m, &err);
    if (st == FC_ERR_NOMEM) /* the check not made */
        return cli_fail(&err);
    if (st || !m.path[0])
        return 0; /* a table that cannot be read is reported by ingest or eval, naming its row */
    return cli_error(EXIT_USAGE, f->verb, "%s is the horizon %s that --labels %s names; choose another name", o->label,
                     m.path, in->path);
}

static int clash_with_input(const cli_files *f, const char *label, file_id id, const cli_input *in)
{
    int option = in->role[0] == '-'; /* "the --labels file" */
    if (!same_file(id, identify(in->path)))
        return 0;
    return cli_error(EXIT_USAGE, f->verb, "%s is %s%s%s %s; choose another name", label, option ? "the " : "", in->role,
                     option ? " file" : "", in->path);
}

/* A file written in folder output `of` (or its NAME.partial): not an input, not another output, not a folder. */
static int check_member(const cli_files *f, int of, const char *path, const char *label)
{
    file_id id = identify(path);
    for (int j = 0; j < f->nin; j++) {
        int rc = clash_with_input(f, label, id, &f->in[j]);
        if (rc)
            return rc;
    }
    for (int j = 0; j < f->nout; j++)
        if (j != of && same_file(id, identify(f->out[j].path)))
            return cli_error(EXIT_USAGE, f->verb, "%s is the same file as %s; choose another name", label,
                             f->out[j].label);
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return cli_error(EXIT_RUNTIME, f->verb, "cannot write %s: it is a folder", label);
    return 0;
}

static int check_members(const cli_files *f, int of)
{
    const cli_output *o = &f->out[of];
    for (int m = 0; m < o->nmembers; m++) {
        char path[CLI_FILES_PATH], label[CLI_FILES_PATH + 200];
        for (int partial = 0; partial < 2; partial++) {
            join(path, sizeof path, o->path, "/", o->members[m], partial ? ".partial" : "");
            join(label, sizeof label, path, partial ? " (the temporary name of a file of " : " (written in ", o->label,
                 ")");
            int rc = check_member(f, of, path, label);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int check_clashes(const cli_files *f)
{
    for (int i = 0; i < f->nout; i++) {
        const cli_output *o = &f->out[i];
        file_id id = identify(o->path);
        int rc = check_members(f, i);
        if (rc)
            return rc;
        for (int j = 0; j < f->nin; j++) {
            const cli_input *in = &f->in[j];
            rc = clash_with_input(f, o->label, id, in);
            if (rc)
                return rc;
            if (o->folder && !o->members && picture_in_folder(o, in->path))
                return cli_error(EXIT_USAGE, f->verb, "%s would receive pictures beside %s %s; choose another folder",
                                 o->label, in->role, in->path);
            rc = check_horizons(f, o, in);
            if (rc)
                return rc;
        }
        if (o->folder && !o->members && (rc = check_picture_folder(f, o)))
            return rc;
        for (int j = 0; j < i; j++)
            if (same_file(id, identify(f->out[j].path)))
                return cli_error(EXIT_USAGE, f->verb, "%s is the same file as %s; choose another name", o->label,
                                 f->out[j].label);
    }
    return 0;
}

/* The folder a file goes in must exist and take new files. A folder is made with its parents, so the nearest of
 * them that exists must take it. */
static int check_location(const cli_files *f, const cli_output *o)
{
    struct stat sb;
    char dir[CLI_FILES_PATH];
    int exists = stat(o->path, &sb) == 0;
    if (exists && !S_ISDIR(sb.st_mode) != !o->folder)
        return cli_error(EXIT_RUNTIME, f->verb, "cannot write %s: it is %s", o->label,
                         o->folder ? "a file, not a folder" : "a folder");
    if (o->folder && exists)
        snprintf(dir, sizeof dir, "%s", o->path);
    else
        split_path(o->path, dir, sizeof dir);
    while (o->folder && stat(dir, &sb) != 0 && strcmp(dir, ".") && strcmp(dir, "/")) {
        char up[CLI_FILES_PATH];
        split_path(dir, up, sizeof up);
        snprintf(dir, sizeof dir, "%s", up);
    }
    if (stat(dir, &sb) != 0)
        return cli_error(EXIT_RUNTIME, f->verb, "cannot write %s: no folder %s", o->label, dir);
    if (!S_ISDIR(sb.st_mode))
        return cli_error(EXIT_RUNTIME, f->verb, "cannot write %s: %s is not a folder", o->label, dir);
    if (access(dir, W_OK | X_OK) != 0)
        return cli_error(EXIT_RUNTIME, f->verb, "cannot write %s: folder %s: %s", o->label, dir, strerror(errno));
    char name_dir[CLI_FILES_PATH];
    const char *name = split_path(o->path, name_dir, sizeof name_dir);
    long name_max = o->folder ? -1 : pathconf(dir, _PC_NAME_MAX);
    if (name_max > 0 && (long)strlen(name) > name_max)
        return cli_error(EXIT_RUNTIME, f->verb, "cannot write %s: %s", o->label, strerror(ENAMETOOLONG));
    /* The folder's permissions do not tell everything (root passes access(); read-only or special file systems,
     * quotas): create the temporary file the command will write, and remove it again. Another process (an MPI
     * rank) trying the same name at once is fine. */
    if (o->temporary && !exists) {
        int fd = open(o->path, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST)
            return cli_error(EXIT_RUNTIME, f->verb, "cannot write %s: %s", o->label, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->path);
        }
    }
    return 0;
}

int cli_files_check_one(const char *verb, const char *synopsis, const char *path, fc_file_kind kind, const char *want)
{
    cli_files f;
    cli_files_init(&f, verb, synopsis);
    cli_files_input(&f, "the input", path, CLI_KIND(kind), want);
    return cli_files_check(&f);
}

/* An empty name ("--out $OUT" with OUT unset) would be worked for and then fail to be renamed, or become ".partial". */
static int check_named(const cli_files *f)
{
    for (int i = 0; i < f->nout; i++)
        if (f->out[i].primary && !f->out[i].path[0])
            return cli_error(EXIT_USAGE, f->verb, "%s'' is an empty name; give a %s: %s", f->out[i].label,
                             f->out[i].folder ? "folder" : "file name", f->synopsis);
    return 0;
}

int cli_files_check(const cli_files *f)
{
    int rc = check_named(f);
    if (!rc)
        rc = check_kinds(f);
    if (!rc)
        rc = check_clashes(f);
    for (int i = 0; i < f->nout && !rc; i++) /* the files written beside too: NAME.partial may be a folder */
        rc = check_location(f, &f->out[i]);
    return rc;
}
