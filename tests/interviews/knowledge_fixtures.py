"""Questions with the evaluator's knowledge written here, so the evaluator's tests do not move with the bank."""

from interviews.ai.base import CaseInfo, Misconception, QuestionData, RedFlag, RubricItem

SORTING = QuestionData(
    public_id="q_sorting", type="theory", category="algorithms", difficulty="medium",
    title="Quicksort or merge sort?",
    description="Compare quicksort and merge sort: running time, extra space and stability.",
    rubric=(
        RubricItem("Quicksort's worst case is quadratic, merge sort's is n log n in every case", 4,
                   ("worst case", "quadratic", "n log n"),
                   ("Quicksort can degrade to quadratic time when the pivots are bad",
                    "Merge sort always runs in n log n, even on its worst input",
                    "A sorted array with the first element as pivot makes quicksort take n squared steps")),
        RubricItem("Merge sort is stable; quicksort is not", 3, ("stable", "stability"),
                   ("Merge sort keeps equal elements in their original order",
                    "Quicksort may reorder equal keys, so it is not stable")),
        RubricItem("Merge sort needs linear extra space; quicksort sorts in place", 3,
                   ("extra space", "in place", "auxiliary"),
                   ("Merge sort needs an auxiliary array as big as the input",
                    "Quicksort partitions inside the array and needs only stack space")),
        RubricItem("A random or median-of-three pivot makes the quadratic case unlikely", 2,
                   ("random pivot", "median of three"),
                   ("Picking the pivot at random makes the bad case very unlikely",
                    "Choosing the median of three elements avoids the sorted-input trap")),
    ),
    rubric_version=1,
    follow_ups=("Why is quicksort often faster in practice?", "How would you make quicksort stable?"),
    reference_answer=(
        "Quicksort picks a pivot, partitions the array around it and sorts both sides in place. With bad pivots, "
        "such as the first element of an already sorted array, its worst case is quadratic, although its average "
        "is n log n with small constants. A random pivot or the median of three makes the quadratic case "
        "unlikely. Merge sort splits the array in half, sorts each half and merges them, so it always takes "
        "n log n time, even on its worst input. Merging needs an auxiliary array as large as the input, so merge "
        "sort uses linear extra space while quicksort needs only its recursion stack. Merge sort is stable: "
        "equal keys keep their order. Quicksort is not stable."),
    misconceptions=(
        Misconception("Merge sort has the quadratic worst case while quicksort is guaranteed n log n",
                      "Quicksort has the quadratic worst case while merge sort is guaranteed n log n", 1),
        Misconception("Quicksort is stable", "Quicksort is not stable; merge sort is", 2),
        Misconception("Merge sort sorts in place with constant extra space",
                      "Merge sort needs linear extra space for merging", 3),
    ),
)

NETWORKING = QuestionData(
    public_id="q_tcp_udp", type="theory", category="networking", difficulty="easy",
    title="TCP and UDP", description="How do TCP and UDP differ, and when would you choose each?",
    rubric=(
        RubricItem("TCP is connection-oriented with a handshake; UDP is connectionless", 3,
                   ("handshake", "connection-oriented", "connectionless"),
                   ("TCP opens a connection with a three-way handshake before sending data",
                    "UDP just sends datagrams without setting up a connection first")),
        RubricItem("TCP is more reliable than UDP: it retransmits lost segments and keeps order", 4,
                   ("reliable", "retransmit", "in order"),
                   ("TCP retransmits lost segments and delivers bytes in order",
                    "UDP may lose, duplicate or reorder datagrams and never resends them")),
        RubricItem("UDP suits latency-sensitive traffic such as games, voice and DNS", 2,
                   ("latency", "games", "dns", "voice"),
                   ("Games and voice calls prefer UDP because a late packet is useless",
                    "DNS queries use UDP because one small request and reply need no connection")),
    ),
    rubric_version=1,
    reference_answer=(
        "TCP is connection-oriented: a three-way handshake opens the connection before data flows. It is more "
        "reliable than UDP, because it acknowledges segments, retransmits lost ones and delivers bytes in order, "
        "with flow and congestion control. UDP is connectionless: it sends independent datagrams with no "
        "handshake, no retransmission and no ordering, so it has less overhead and lower latency. Choose TCP for "
        "web pages, file transfer and anything that must arrive complete; choose UDP for games, voice and video "
        "calls, and DNS lookups, where a late packet is worse than a lost one."),
    misconceptions=(
        Misconception("UDP is more reliable than TCP", "TCP is more reliable than UDP", 2),
        Misconception("UDP is the connection-oriented one", "TCP is the connection-oriented one", 1),
        Misconception("TCP does not retransmit lost segments", "TCP retransmits lost segments", 2),
    ),
)

TEAMMATE = QuestionData(
    public_id="q_teammate", type="behavioral", category="teamwork", difficulty="easy",
    title="Helping a struggling teammate",
    description="Tell me about a time you helped a teammate who was struggling. What did you do, and what "
                "was the outcome?",
    rubric=(
        RubricItem("Noticed the struggle and asked privately what was hard", 2, ("noticed", "in private"),
                   ("I noticed he had been stuck on the same ticket for a week",
                    "I spoke with her one to one about what was blocking her"), "situation"),
        RubricItem("Paired with the teammate and let them drive", 3, ("paired", "pair programming"),
                   ("I paired with him every morning and let him drive the keyboard",
                    "We sat together each day while she typed and I asked questions"), "action"),
        RubricItem("Taught rather than took over", 3, ("explained", "walked through", "taught"),
                   ("I walked him through the deployment pipeline instead of fixing it myself",
                    "I explained how the billing code fits together so she could change it"), "action"),
        RubricItem("A measurable outcome for the teammate and the team", 3, ("shipped", "dropped", "percent"),
                   ("He shipped the feature two days early",
                    "Her review rework fell by half within a month"), "result"),
        RubricItem("What the candidate learned", 2, ("learned", "next time"),
                   ("I learned to ask how I can help before jumping in",
                    "Now I check in with every new person in their first weeks"), "reflection"),
    ),
    rubric_version=1,
    reference_answer=(
        "Last year a new teammate on our billing service had been stuck on the same ticket for a week. I asked "
        "him privately what was hard, and it turned out he did not understand the legacy pipeline. I offered to "
        "pair every morning and let him drive the keyboard, and I walked him through the deployment pipeline "
        "instead of fixing it myself. He shipped the feature two days early, and his review rework dropped by "
        "half within a month. I learned to ask how I can help before jumping in, and now I check in with new "
        "people during their first weeks."),
    red_flags=(
        RedFlag("I took the ticket over and finished it myself that weekend without telling them", "takes over"),
        RedFlag("I told our manager in stand-up that the feature was late because of them", "blames in public"),
    ),
)

TWO_SUM = QuestionData(
    public_id="q_two_sum", type="coding", category="algorithms", difficulty="easy", title="Two Sum",
    description="Return the indices of the two numbers in nums that add up to target.",
    rubric=(
        RubricItem("Uses a hash map from value to index for the complement", 4, ("hash map", "complement"),
                   ("I keep a dictionary from each value to its index and look up target minus the value",
                    "For each number I check whether the number that completes the sum was already seen"),
                   "approach"),
        RubricItem("Linear time and linear space", 3, ("o(n)", "linear"),
                   ("One pass over the array gives O(n) time", "The map can hold n entries, so O(n) space"),
                   "complexity"),
        RubricItem("Handles duplicates and no answer", 2, ("duplicates", "empty"),
                   ("Checking before inserting handles two equal numbers",
                    "An empty list or no pair returns an empty result")),
    ),
    rubric_version=1,
    follow_ups=("How would you handle a sorted input?",),
    complexity=("O(n)", "O(n)"),
    cases=(CaseInfo("example"), CaseInfo("negatives", hidden=True), CaseInfo("middle", hidden=True),
           CaseInfo("end", hidden=True), CaseInfo("large", hidden=True), CaseInfo("second example"),
           CaseInfo("empty", edge_case=True), CaseInfo("duplicates", hidden=True, edge_case=True)),
)
