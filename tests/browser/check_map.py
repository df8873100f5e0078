#!/usr/bin/env python3
"""Opens a run's map.html in headless Chromium (software WebGL) from file://, waits for the
page's self-check (map.html#selftest: villages rendered, a popup read back, a search), records
every request the page makes over the DevTools protocol, and saves a screenshot.

Usage: check_map.py MAP_HTML SCREENSHOT_PNG [WIDTH HEIGHT]
Prints one JSON object: the page's self-check, plus "requests" (every URL the browser was
asked to load) and "load_seconds" (from navigation to the self-check). Exits 2 if the page
gives no answer in time.

Standard library only: Chromium speaks the protocol over two pipes (--remote-debugging-pipe),
so no WebSocket client is needed.
"""
import base64, json, os, shutil, subprocess, sys, tempfile, time

page, shot = os.path.abspath(sys.argv[1]), sys.argv[2]
width, height = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ("1280", "900")
binary = next((b for b in ("/usr/lib/chromium/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "") if b and os.path.exists(b)), None)
if not binary:
    sys.exit("chromium is not installed: run `make deps` (Debian's chromium package)")
profile = tempfile.mkdtemp(prefix="rawan-chromium-")
to_chrome_r, to_chrome_w = os.pipe()
from_chrome_r, from_chrome_w = os.pipe()

def child_fds():
    # Chromium reads commands on fd 3 and writes answers on fd 4.
    a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
    os.dup2(a, 3)
    os.dup2(b, 4)

proc = subprocess.Popen(
    [binary, "--headless", "--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader",
     "--remote-debugging-pipe", "--window-size=%s,%s" % (width, height), "--user-data-dir=" + profile,
     "--no-first-run", "--disable-background-networking", "--disable-component-update", "about:blank"],
    close_fds=False, preexec_fn=child_fds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(to_chrome_r)
os.close(from_chrome_w)
out = os.fdopen(to_chrome_w, "wb")
inp = from_chrome_r
buf = b""
next_id = 0
events = []

def send(method, params=None, session=None, timeout=60):
    global next_id, buf
    next_id += 1
    msg = {"id": next_id, "method": method, "params": params or {}}
    if session:
        msg["sessionId"] = session
    out.write(json.dumps(msg).encode() + b"\0")
    out.flush()
    deadline = time.time() + timeout
    while True:
        while b"\0" not in buf:
            if time.time() > deadline:
                raise TimeoutError(method)
            chunk = os.read(inp, 1 << 20)
            if not chunk:
                raise SystemExit("chromium closed the DevTools pipe")
            buf += chunk
        raw, buf = buf.split(b"\0", 1)
        d = json.loads(raw)
        if d.get("id") == next_id:
            if "error" in d:
                raise RuntimeError("%s: %s" % (method, d["error"]))
            return d["result"]
        events.append(d)

try:
    target = send("Target.createTarget", {"url": "about:blank"})
    session = send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
    send("Network.enable", session=session)
    send("Page.enable", session=session)
    start = time.time()
    send("Page.navigate", {"url": "file://" + page + "#selftest"}, session=session)
    answer = None
    while time.time() - start < 240:
        value = send("Runtime.evaluate", {"expression": "(document.getElementById('selftest') || {}).textContent || ''", "returnByValue": True}, session=session)["result"].get("value")
        if value:
            answer = json.loads(value)
            break
        time.sleep(0.2)
    if answer is None:
        print(json.dumps({"error": "no self-check from the page within 240 s"}))
        sys.exit(2)
    answer["load_seconds"] = round(time.time() - start, 2)
    answer["requests"] = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    # Let the popup and the last tiles settle before the picture.
    time.sleep(1.0)
    image = send("Page.captureScreenshot", {"format": "png"}, session=session)
    with open(shot, "wb") as f:
        f.write(base64.b64decode(image["data"]))
    heap = send("Runtime.evaluate", {"expression": "performance.memory ? performance.memory.usedJSHeapSize : null", "returnByValue": True}, session=session)["result"].get("value")
    answer["js_heap_mb"] = round(heap / 1e6, 1) if heap else None
    print(json.dumps(answer, ensure_ascii=False))
finally:
    try:
        send("Browser.close", timeout=10)
    except Exception:
        pass
    try:
        proc.wait(timeout=10)
    except Exception:
        proc.kill()
    shutil.rmtree(profile, ignore_errors=True)
