from tests.web.test_page import start
def test_probe_console(page, server):
    start(page, server)
    page.evaluate("console.error('boom')")
    page.wait_for_timeout(100)
def test_probe_outside(page, server):
    start(page, server)
    page.evaluate("(() => { const i = new Image(); i.src = 'http://192.0.2.1/x.png'; })()")
    page.wait_for_timeout(500)
