/*
 * lispd_nfq_rules.c - the rules that feed the NAT daemon's queues (lispd_nfq.h), written
 * by the system's own tools so an operator sees them with `nft list ruleset` or
 * `iptables -t raw -S`:
 *
 *   nftables   table ip lispd_nat_Q { chain prerouting { type filter hook prerouting
 *              priority raw; iifname IN notrack queue num Q; iifname OUT notrack queue
 *              num Q+1 } }
 *   iptables   raw table chain LISPD_NAT_Q, jumped to from PREROUTING, with the same
 *              two rules (CT --notrack, NFQUEUE --queue-num)
 *
 * nft comes first; a kernel without nft_queue (Debian's 6.x cloud kernels: "Could not
 * process rule: No such file or directory") makes it fail, and iptables-restore (the
 * iptables-nft flavour uses the xt NFQUEUE target, which those kernels have) installs
 * the same rules. notrack keeps conntrack, and so any kernel NAT, away from the packets.
 * Leftovers of a lispd that was killed are removed before installing.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lispd_log.h"
#include "lispd_nfq.h"

/* Run argv with text on its standard input; its standard error (the first line) into
 * err when it fails. The exit status, or -1 when it could not run. */
static int run(char *const argv[], const char *text, char *err, size_t errlen)
{
    int in[2], out[2], status;
    pid_t pid;
    ssize_t n;
    size_t len = strlen(text), done = 0;

    if (pipe2(in, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    pid = fork();
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(out[1], STDERR_FILENO);
        execvp(argv[0], argv);
        dprintf(STDERR_FILENO, "%s: %s", argv[0], strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    while (pid > 0 && done < len) {
        n = write(in[1], text + done, len - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    close(in[1]);
    if (err && errlen) {
        err[0] = '\0';
        n = pid > 0 ? read(out[0], err, errlen - 1) : 0;
        if (n > 0) {
            err[n] = '\0';
            err[strcspn(err, "\n")] = '\0';
        }
    }
    close(out[0]);
    if (pid < 0)
        return -1;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int nft(const char *text, char *err, size_t errlen)
{
    char *const argv[] = {"nft", "-f", "-", NULL};
    return run(argv, text, err, errlen);
}

static int iptables_restore(const char *text, char *err, size_t errlen)
{
    char *const argv[] = {"iptables-restore", "--noflush", NULL};
    return run(argv, text, err, errlen);
}

static void remove_nft(uint16_t queue)
{
    char text[128];
    snprintf(text, sizeof text, "delete table ip lispd_nat_%u\n", queue);
    nft(text, NULL, 0);
}

/* Each line alone: whatever part of a leftover exists goes, the rest fails quietly. */
static void remove_iptables(uint16_t queue)
{
    static const char *const lines[] = {"-D PREROUTING -j LISPD_NAT_%u", "-F LISPD_NAT_%u",
                                        "-X LISPD_NAT_%u"};
    char text[128];
    size_t i;
    for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        int w = snprintf(text, sizeof text, "*raw\n");
        w += snprintf(text + w, sizeof text - (size_t)w, lines[i], queue);
        snprintf(text + w, sizeof text - (size_t)w, "\nCOMMIT\n");
        iptables_restore(text, NULL, 0);
    }
}

int lispd_nfq_rules_install(const char *inside, const char *outside, uint16_t queue, char *err,
                            size_t errlen)
{
    char text[1024], nft_err[200], ipt_err[200];
    const unsigned in_q = queue, out_q = queue + 1u;

    remove_nft(queue);
    remove_iptables(queue);
    snprintf(text, sizeof text,
             "table ip lispd_nat_%u {\n"
             "  chain prerouting {\n"
             "    type filter hook prerouting priority raw; policy accept;\n"
             "    iifname \"%s\" notrack queue num %u\n"
             "    iifname \"%s\" notrack queue num %u\n"
             "  }\n"
             "}\n",
             queue, inside, in_q, outside, out_q);
    if (nft(text, nft_err, sizeof nft_err) == 0)
        return LISPD_NFQ_RULES_NFT;
    remove_nft(queue); /* a table may have been created before the queue rule failed */
    snprintf(text, sizeof text,
             "*raw\n"
             ":LISPD_NAT_%u - [0:0]\n"
             "-A PREROUTING -j LISPD_NAT_%u\n"
             "-A LISPD_NAT_%u -i %s -j CT --notrack\n"
             "-A LISPD_NAT_%u -i %s -j NFQUEUE --queue-num %u\n"
             "-A LISPD_NAT_%u -i %s -j CT --notrack\n"
             "-A LISPD_NAT_%u -i %s -j NFQUEUE --queue-num %u\n"
             "COMMIT\n",
             queue, queue, queue, inside, queue, inside, in_q, queue, outside, queue, outside,
             out_q);
    if (iptables_restore(text, ipt_err, sizeof ipt_err) == 0) {
        lispd_info("NAT: nft could not install the queue rules (%s): iptables did", nft_err);
        return LISPD_NFQ_RULES_IPTABLES;
    }
    remove_iptables(queue);
    snprintf(err, errlen, "cannot install the NFQUEUE rules: nft: %s; iptables-restore: %s",
             nft_err, ipt_err);
    return -1;
}

void lispd_nfq_rules_remove(int rules, uint16_t queue)
{
    if (rules == LISPD_NFQ_RULES_NFT)
        remove_nft(queue);
    else if (rules == LISPD_NFQ_RULES_IPTABLES)
        remove_iptables(queue);
}
