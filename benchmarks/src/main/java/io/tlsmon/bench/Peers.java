package io.tlsmon.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A fixed population of peers per behaviour, made once from the seed. Sessions first draw the
 * behaviour (so the mix of outcomes is set by the caller), then a peer of that behaviour with a
 * skew, so that a few big senders make most of the traffic and a long tail makes the rest.
 */
final class Peers {
    private static final String[] WORDS = {
        "fabrikam", "northwind", "tailspin", "wingtip", "adatum", "litware", "proseware", "woodgrove",
        "alpineski", "blueyonder", "coho", "fourthcoffee", "graphicdesign", "humongous", "lucerne",
        "margie", "nod", "relecloud", "southridge", "trey", "wideworld", "bellows", "contosopharma",
        "datum", "fineartschool", "lamna", "munson", "olympia", "tasmanian", "kestrel",
    };
    private static final String[] HOST_PREFIXES = {"mail", "mx", "smtp", "mx1", "mx2", "mailgw", "relay", "out"};

    private final Map<Peer.Behaviour, List<Peer>> byBehaviour = new EnumMap<>(Peer.Behaviour.class);

    Peers(SplittableRandom random, int perBehaviour, String tld) {
        int serial = 0;
        for (Peer.Behaviour behaviour : Peer.Behaviour.values()) {
            List<Peer> list = new ArrayList<>(perBehaviour);
            for (int i = 0; i < perBehaviour; i++) {
                list.add(make(random, serial++, behaviour, tld));
            }
            byBehaviour.put(behaviour, list);
        }
    }

    private static Peer make(SplittableRandom random, int i, Peer.Behaviour behaviour, String tld) {
        // 100.64.0.0/10 keeps the generated addresses out of real allocations while looking varied.
        String ip = "100." + (64 + random.nextInt(64)) + '.' + random.nextInt(256) + '.' + (1 + random.nextInt(254));
        String host;
        if (behaviour == Peer.Behaviour.EXCHANGE_ONLINE) {
            host = WORDS[i % WORDS.length] + i + "-example.mail.protection.outlook.com";
            ip = "52.101." + random.nextInt(256) + '.' + (1 + random.nextInt(254));
        } else if (behaviour == Peer.Behaviour.DROPS && random.nextInt(3) > 0) {
            host = "unknown";
        } else {
            host = HOST_PREFIXES[random.nextInt(HOST_PREFIXES.length)] + '.' + WORDS[random.nextInt(WORDS.length)]
                    + i + '.' + tld;
        }
        return new Peer(host, ip, behaviour);
    }

    /** A peer of this behaviour, the first ones much more often than the last (a cubic skew). */
    Peer pick(SplittableRandom random, Peer.Behaviour behaviour) {
        List<Peer> list = byBehaviour.get(behaviour);
        double u = random.nextDouble();
        return list.get((int) (u * u * u * list.size()));
    }

    /** Draws a behaviour from weights given in {@link Peer.Behaviour} order. */
    static Peer.Behaviour draw(SplittableRandom random, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int pick = random.nextInt(total);
        for (int b = 0; b < weights.length; b++) {
            pick -= weights[b];
            if (pick < 0) {
                return Peer.Behaviour.values()[b];
            }
        }
        throw new IllegalStateException("no behaviour drawn");
    }
}
