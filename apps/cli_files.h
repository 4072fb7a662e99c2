/* The files a command reads and writes, checked before any work starts and before anything is written:
 *
 * - an input of the wrong kind (a survey where the model goes, a patch dataset given to summary) is named with
 *   what belongs there, and how the command is written;
 * - an output that is the same file as an input or as another output is refused: same device and inode, so other
 *   spellings, symlinks and hard links count, and the temporary `NAME.partial` each output is written as counts
 *   too (creating it would truncate an input of that name);
 * - every output's folder must exist and be writable, and take its name (not too long, not a folder there, the
 *   temporary NAME.partial and the files written beside included); output folders (pictures, synth) need their nearest
 *   existing parent to be a writable folder, since they are created with their parents.
 *
 * A verb registers its files, then calls cli_files_check once, after parsing its options. */
#ifndef FACIES_CLI_FILES_H
#define FACIES_CLI_FILES_H

#include "facies/file_kind.h"

#define CLI_FILES_MAX_IN 24
#define CLI_FILES_MAX_OUT 16
#define CLI_FILES_PATH 4200

/* Bit of a kind, for the kinds an input accepts. */
#define CLI_KIND(k) (1u << (k))

typedef struct cli_input {
    const char *role, *path; /* role: "the input survey", "--labels" */
    unsigned kinds;          /* CLI_KIND bits accepted; 0: any */
    const char *want;        /* what belongs here: "a model" */
    fc_file_kind swapped;    /* a kind that belongs elsewhere in the command ... */
    const char *hint;        /* ... and what to say when it is found here: "MODEL.h5 comes first" */
} cli_input;

typedef struct cli_output {
    char path[CLI_FILES_PATH];
    char label[CLI_FILES_PATH + 200]; /* how messages name it: "--out f.sgy", "f.sgy.partial (while --out ...)" */
    int folder;                       /* a folder the command creates, with parents */
    const char *const *members;       /* folder: names of the files written in it (each with NAME.partial) ... */
    int nmembers;                     /* ... and how many (0: pictures) */
    int primary;                      /* given on the command line (an empty name is refused) */
    int temporary;                    /* a NAME.partial: tried out by creating it (and removing it) */
    fc_file_kind added_to;            /* an output the command adds to (ingest --append): its kind ... */
    const char *want;                 /* ... and what belongs there: "a patch dataset" */
} cli_output;

typedef struct cli_files {
    const char *verb, *synopsis; /* "apply", "facies apply MODEL.h5 SURVEY.sgy --out FACIES.sgy" */
    cli_input in[CLI_FILES_MAX_IN];
    cli_output out[CLI_FILES_MAX_OUT];
    int nin, nout;
} cli_files;

void cli_files_init(cli_files *f, const char *verb, const char *synopsis);

/* An input (path NULL: not given, ignored). */
void cli_files_input(cli_files *f, const char *role, const char *path, unsigned kinds, const char *want);

/* The label files (a label SEG-Y, picks CSV or horizon table) and the legend (--classes) that ingest and eval
 * read. Returns how many of the labels are label SEG-Y files (for --unlabelled, which only they use). */
int cli_files_labels(cli_files *f, const char *const *labels, int nlabels, const char *classes);

/* For the last input: when its kind is `swapped`, say `hint` instead of "not <want>". */
void cli_files_hint(cli_files *f, fc_file_kind swapped, const char *hint);

/* A file the option names (path NULL: not given); its temporary NAME.partial is registered with it. */
void cli_files_output(cli_files *f, const char *option, const char *path);

/* The last output (given with cli_files_output) is added to when it exists: it must be of this kind. */
void cli_files_added_to(cli_files *f, fc_file_kind kind, const char *want);

/* A file the command writes beside the output that `option` names (`of`), such as MODEL.checkpoint.h5. */
void cli_files_beside(cli_files *f, const char *option, const char *of, const char *path);

/* A folder the option names, created with its parents (path NULL: not given); its pictures count as outputs. */
void cli_files_folder(cli_files *f, const char *option, const char *path);

/* A folder the option names, created with its parents (path NULL: not given), in which the command writes the files
 * `names` (n of them, names without a folder; the array stays the caller's until cli_files_check); each, and its
 * NAME.partial, counts as an output. */
void cli_files_folder_of(cli_files *f, const char *option, const char *path, const char *const *names, int n);

/* The whole check for a verb that reads one file and writes none (info, summary). */
int cli_files_check_one(const char *verb, const char *synopsis, const char *path, fc_file_kind kind, const char *want);

/* 0 when every file is fine; otherwise one line on stderr and the exit status: EXIT_USAGE for a wrong kind or a
 * clash of names, EXIT_RUNTIME for a folder that is missing or not writable. */
int cli_files_check(const cli_files *f);

#endif
