/* libFuzzer target: any bytes as apply's resume state (OUT.partial.state). Parsing must either give a state whose
 * numbers are in range or fail with a message naming a line; a parsed state is then checked against a run, as a
 * resume does. Never a crash, an overread or an accepted out-of-range count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fc_apply_state s, now;
    fc_error err;
    if (fc_apply_state_parse((const char *)data, size, "state", &s, &err) != FC_OK) {
        if (!strstr(err.message, "state: line "))
            abort(); /* every refusal names the line */
        return 0;
    }
    if (s.done < 0 || s.done > (INT64_C(1) << 40) || s.ranks < 1 || s.total < -1 ||
        strlen(s.outputs) >= sizeof s.outputs || strlen(s.run) >= sizeof s.run)
        abort();
    memset(&now, 0, sizeof now);
    now.ranks = s.ranks;
    now.total = 20;
    snprintf(now.outputs, sizeof now.outputs, "--out --probabilities");
    snprintf(now.run, sizeof now.run, "survey=10:20 model=30:40 lines=1000:1019 method=fast resample=0");
    if (fc_apply_state_check("state", &s, &now, &err) == FC_OK && s.done > now.total)
        abort(); /* a resume may never skip more sections than the run has */
    return 0;
}
