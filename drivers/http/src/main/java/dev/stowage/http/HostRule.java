package dev.stowage.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One entry of {@code allow-hosts} or {@code deny-hosts}: a host name ({@code images.example.com}), a wildcard for
 * its sub-domains ({@code *.example.com}), an IP address, a CIDR network ({@code 10.0.0.0/8}, {@code fd00::/8}) or
 * a keyword for a class of addresses ({@code loopback}, {@code link-local}, {@code private}, {@code unspecified}).
 * Parsing never touches DNS.
 */
sealed interface HostRule {

    /** Whether the rule names this host (names and wildcards only). */
    boolean matchesName(String host);

    /** Whether the rule covers this address (addresses, networks and keywords only). */
    boolean matchesAddress(InetAddress address);

    /** Whether the rule is about addresses (so the host must be resolved to apply it). */
    boolean isAddressRule();

    /** The rule as written in configuration. */
    String text();

    /** The option type of a list of rules: comma-separated, each entry checked. */
    static List<HostRule> parseList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty())
                .map(HostRule::parse).toList();
    }

    static String formatList(List<HostRule> rules) {
        return String.join(",", rules.stream().map(HostRule::text).toList());
    }

    /**
     * Reads one entry.
     *
     * @throws IllegalArgumentException saying what is wrong with the entry
     */
    static HostRule parse(String entry) {
        String text = entry.trim().toLowerCase(Locale.ROOT);
        for (Keyword keyword : Keyword.values()) {
            if (keyword.text.equals(text)) {
                return keyword;
            }
        }
        int slash = text.indexOf('/');
        if (slash >= 0) {
            return Network.parse(entry.trim(), text.substring(0, slash), text.substring(slash + 1));
        }
        InetAddress literal = Network.literal(text);
        if (literal != null) {
            return new Network(entry.trim(), literal.getAddress(), literal.getAddress().length * 8);
        }
        return Name.parse(entry.trim(), text);
    }

    /** The host of a URI as a rule sees it: lower case, without IPv6 brackets or a trailing dot. */
    static String normalHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** A host name, or {@code *.domain} for every name below the domain (not the domain itself). */
    record Name(String text, String name, boolean wildcard) implements HostRule {
        private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

        public Name {
            requireNonNull(text, "text is null");
            requireNonNull(name, "name is null");
        }

        static Name parse(String original, String text) {
            boolean wildcard = text.startsWith("*.");
            String name = wildcard ? text.substring(2) : text;
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            if (name.isEmpty() || name.length() > 253) {
                throw new IllegalArgumentException("'" + original + "' is not a host name, IP address, CIDR network"
                        + " or one of " + Keyword.names());
            }
            for (String label : name.split("\\.", -1)) {
                if (!LABEL.matcher(label).matches()) {
                    throw new IllegalArgumentException("'" + original + "' is not a host name, IP address, CIDR"
                            + " network or one of " + Keyword.names());
                }
            }
            return new Name(original, name, wildcard);
        }

        @Override
        public boolean matchesName(String host) {
            String h = normalHost(host);
            return wildcard ? h.endsWith("." + name) : h.equals(name);
        }

        @Override
        public boolean matchesAddress(InetAddress address) {
            return false;
        }

        @Override
        public boolean isAddressRule() {
            return false;
        }
    }

    /** An address network; a single address is a network of full prefix length. */
    record Network(String text, byte[] prefix, int bits) implements HostRule {
        private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

        public Network {
            requireNonNull(text, "text is null");
            prefix = prefix.clone();
        }

        static Network parse(String original, String address, String bitsText) {
            InetAddress base = literal(address);
            if (base == null) {
                throw new IllegalArgumentException("'" + original + "' is not a CIDR network: '" + address
                        + "' is not an IP address");
            }
            int max = base.getAddress().length * 8;
            int bits;
            try {
                bits = Integer.parseInt(bitsText);
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("'" + original + "' is not a CIDR network: the prefix length must"
                        + " be 0 to " + max);
            }
            return new Network(original, base.getAddress(), bits);
        }

        /** The address of an IPv4 or IPv6 literal, or null when the text is not one. Never resolves a name. */
        static InetAddress literal(String text) {
            String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
            if (IPV4.matcher(t).matches()) {
                for (String part : t.split("\\.")) {
                    if (Integer.parseInt(part) > 255) {
                        return null;
                    }
                }
            } else if (!t.contains(":") || !t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':'
                    || c == '.' || c == '%')) {
                return null;
            }
            try {
                // a literal: getByName parses it without a lookup
                return InetAddress.getByName(t);
            } catch (UnknownHostException e) {
                return null;
            }
        }

        @Override
        public boolean matchesName(String host) {
            return false;
        }

        @Override
        public boolean matchesAddress(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (candidate[full] & mask) == (prefix[full] & mask);
        }

        @Override
        public boolean isAddressRule() {
            return true;
        }

        @Override
        public byte[] prefix() {
            return prefix.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Network network && network.bits == bits && Arrays.equals(network.prefix, prefix);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(prefix) + bits;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** A class of addresses that SSRF guards usually deny. */
    enum Keyword implements HostRule {
        /** 127.0.0.0/8 and ::1. */
        LOOPBACK("loopback"),
        /** 169.254.0.0/16 (cloud metadata services live here) and fe80::/10. */
        LINK_LOCAL("link-local"),
        /** 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 (carrier-grade NAT) and fc00::/7. */
        PRIVATE("private"),
        /** 0.0.0.0 and :: (which reach the local host on many systems). */
        UNSPECIFIED("unspecified");

        private final String text;

        Keyword(String text) {
            this.text = text;
        }

        static String names() {
            return String.join(", ", Arrays.stream(values()).map(HostRule::text).toList());
        }

        @Override
        public String text() {
            return text;
        }

        @Override
        public boolean matchesName(String host) {
            return false;
        }

        @Override
        public boolean matchesAddress(InetAddress address) {
            return switch (this) {
                case LOOPBACK -> address.isLoopbackAddress();
                case LINK_LOCAL -> address.isLinkLocalAddress();
                case UNSPECIFIED -> address.isAnyLocalAddress();
                case PRIVATE -> isPrivate(address);
            };
        }

        private static boolean isPrivate(InetAddress address) {
            byte[] a = address.getAddress();
            if (address instanceof Inet4Address) {
                int b0 = a[0] & 0xff;
                int b1 = a[1] & 0xff;
                return b0 == 10 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 192 && b1 == 168)
                        || (b0 == 100 && b1 >= 64 && b1 <= 127);
            }
            return address instanceof Inet6Address && ((a[0] & 0xfe) == 0xfc || address.isSiteLocalAddress());
        }

        @Override
        public boolean isAddressRule() {
            return true;
        }
    }
}
